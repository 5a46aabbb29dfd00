package dev.deltawatch.worker.cli;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.config.ConfigException;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.publish.report.CheckReport;
import dev.deltawatch.worker.publish.report.ReportFormat;
import dev.deltawatch.worker.runtime.CheckProgressPrinter;
import dev.deltawatch.worker.runtime.OneShotCheck;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Runs every selected check once against the target database (no Kafka needed). Exit 2 when "
                + "a check could not run (the verdict is incomplete; wins over 1) or on a usage or connection "
                + "error, 1 when a BLOCKER or HIGH finding is open, 0 otherwise.")
public final class CheckCommand implements Callable<Integer> {
    /** Some selected check ended ERROR: the verdict is incomplete, whatever the other checks found. */
    static final int INCOMPLETE = 2;
    static final int FAILS_PIPELINE = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "Worker config YAML (database, target file, timeouts).")
    Path config;

    @Option(names = "--jdbc-url", description = "Overrides deltawatch.database.jdbc.url.")
    String jdbcUrl;

    @Option(names = "--families", split = ",", description = "Families to run (default: all): merge,plan,lock,edge,hygiene.")
    List<String> families;

    @Option(names = "--format", defaultValue = "text", description = "text, json, junit or html (default: text).")
    String format;

    @Option(names = "--detail", description = "records: add every per-record result to the json report "
            + "(findings are one per defect; this is the detail behind them). json format only.")
    String detail;

    @Option(names = "--output", description = "Write the report to this file instead of standard output.")
    Path output;

    @Option(names = "--pooling-window-ms", defaultValue = "" + OneShotCheck.DEFAULT_POOLING_WINDOW_MS,
            description = "How long the connection-pooling check watches sessions, alongside the other checks "
                    + "(default: ${DEFAULT-VALUE}; the running worker takes 10000).")
    long poolingWindowMs;

    @Override
    public Integer call() throws Exception {
        ReportFormat reportFormat = parseFormat(format);
        boolean detailRecords = parseDetail(detail, reportFormat);
        if (poolingWindowMs < 100) {
            throw new ConfigException("--pooling-window-ms", List.of("Invalid value " + poolingWindowMs
                    + " for option --pooling-window-ms: must be >= 100"));
        }
        WorkerConfig worker = WorkerConfigs.load(config, jdbcUrl);
        Set<String> selected = families == null ? worker.families() : new LinkedHashSet<>(families);
        for (String f : selected) {
            if (!WorkerConfigDef.FAMILIES.contains(f)) {
                throw new ConfigException("--families", List.of("unknown family '" + f + "'; known: "
                        + WorkerConfigDef.FAMILIES));
            }
        }
        TargetConfig target = WorkerConfigs.target(worker);
        OneShotCheck.Settings settings = new OneShotCheck.Settings(WorkerConfigs.postgres(worker),
                worker.integer(WorkerConfigDef.POOL_SIZE), worker.millis(WorkerConfigDef.STATEMENT_TIMEOUT_MS),
                worker.millis(WorkerConfigDef.LOCK_TIMEOUT_MS), Duration.ofMillis(poolingWindowMs));
        return runOnce(spec, target, selected, settings, reportFormat, detailRecords, output);
    }

    /**
     * Runs the selected families once and reports: the check command's code path, shared with {@code init --check}.
     * Returns the check command's exit code.
     */
    static int runOnce(CommandSpec spec, TargetConfig target, Set<String> selected, OneShotCheck.Settings settings,
                       ReportFormat reportFormat, boolean detailRecords, Path output) throws Exception {
        CheckReport report;
        // Progress goes to standard error, as seed's does, so the report on standard output stays clean.
        try (CheckProgressPrinter progress = new CheckProgressPrinter(spec.commandLine().getErr(),
                System.console() != null)) {
            report = new OneShotCheck(Clock.systemUTC()).run(target, selected, settings, progress);
        }
        PrintWriter out = spec.commandLine().getOut();
        String rendered = reportFormat.render(report, detailRecords);
        if (output != null) {
            Files.writeString(output, rendered, StandardCharsets.UTF_8);
            out.println("report written to " + output);
        } else {
            out.print(rendered);
        }
        out.flush();
        if (report.incomplete()) {
            reportIncomplete(spec, report);
            return INCOMPLETE;
        }
        return report.failsPipeline() ? FAILS_PIPELINE : 0;
    }

    /** Names every check that could not run, on standard error, where CI logs show it next to the exit code. */
    private static void reportIncomplete(CommandSpec spec, CheckReport report) {
        PrintWriter err = spec.commandLine().getErr();
        List<CheckRun> errors = report.errors();
        err.println("deltawatch: check incomplete (exit 2): " + errors.size() + " check(s) could not run, so their "
                + "questions are unanswered" + (report.failsPipeline() ? "; BLOCKER or HIGH findings are open too"
                : "") + ":");
        for (CheckRun run : errors) {
            err.println("  " + run.check() + ": " + run.error());
        }
        err.flush();
    }

    private static boolean parseDetail(String detail, ReportFormat format) {
        if (detail == null) {
            return false;
        }
        if (!detail.equals("records")) {
            throw new ConfigException("--detail", List.of("Invalid value " + detail + " for option --detail: "
                    + "the one detail is 'records'"));
        }
        if (format != ReportFormat.JSON) {
            throw new ConfigException("--detail", List.of("Invalid value " + detail + " for option --detail: "
                    + "per-record detail needs --format json"));
        }
        return true;
    }

    private static ReportFormat parseFormat(String format) {
        try {
            return ReportFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--format", List.of("unknown format '" + format + "'; use text, json, junit or html"));
        }
    }
}
