package dev.deltawatch.worker.cli;

import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.target.load.LoadOptions;
import dev.deltawatch.worker.target.load.LoadReport;
import dev.deltawatch.worker.target.load.LoadReports;
import dev.deltawatch.worker.target.load.LoadRunner;
import dev.deltawatch.worker.target.load.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Runs a load scenario against the reference target and reports throughput, latency "
                + "percentiles, errors and resource use.")
public final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JdbcOptions jdbc;

    @Option(names = "--scenario", required = true, description = "read-storm | write-storm | mixed | bulk-import")
    String scenario;

    @Option(names = "--duration", defaultValue = "60s", description = "How long, e.g. 30s, 5m, PT1M (default: "
            + "${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--users", defaultValue = "0", description = "Concurrent users (default: 100 read-storm/mixed, "
            + "50 write-storm, 4 bulk-import workers).")
    int users;

    @Option(names = "--rate", defaultValue = "10000", description = "bulk-import records per minute (default: "
            + "${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--batch", defaultValue = "100", description = "bulk-import records per upsert (default: "
            + "${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--query", description = "Only this registered read query (repeatable).")
    List<String> queries;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the parameter draws.")
    long seed;

    @Option(names = "--json", description = "Write the full report as JSON to this file.")
    Path json;

    @Option(names = "--html", description = "Write a self-contained HTML report (inline SVG charts) to this file.")
    Path html;

    @Override
    public Integer call() throws Exception {
        LoadOptions options = new LoadOptions(Scenario.fromCli(scenario), parseDuration(duration), users, rate, batch,
                queries, seed);
        LoadReport report = new LoadRunner(jdbc.address(), ReferenceTarget.config(), System.err).run(options);
        LoadReports.printSummary(report, spec.commandLine().getOut());
        if (json != null) {
            LoadReports.writeJson(report, json);
        }
        if (html != null) {
            LoadReports.writeHtml(report, html);
        }
        return 0;
    }

    /** {@code 30s}, {@code 5m}, {@code 1h}, {@code 250ms} or ISO-8601 ({@code PT30S}). */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            } else if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid value " + text + " for --duration: use e.g. 30s, 5m or PT1M");
        }
    }
}
