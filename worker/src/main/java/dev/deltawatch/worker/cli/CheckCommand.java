package dev.deltawatch.worker.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.check.CheckRegistry;
import dev.deltawatch.worker.check.CheckRunner;
import dev.deltawatch.worker.check.Checks;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.check.lock.IsolationMatrixCheck;
import dev.deltawatch.worker.config.ConfigException;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.publish.report.CheckReport;
import dev.deltawatch.worker.publish.report.ReportFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Runs every selected check once against the target database (no Kafka needed) and exits "
                + "1 when a BLOCKER or HIGH finding is open, 0 otherwise, 2 on a usage or connection error.")
public final class CheckCommand implements Callable<Integer> {
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

    @Option(names = "--output", description = "Write the report to this file instead of standard output.")
    Path output;

    @Override
    public Integer call() throws Exception {
        ReportFormat reportFormat = parseFormat(format);
        WorkerConfig worker = WorkerConfigs.load(config, jdbcUrl);
        Set<String> selected = families == null ? worker.families() : new LinkedHashSet<>(families);
        for (String f : selected) {
            if (!WorkerConfigDef.FAMILIES.contains(f)) {
                throw new ConfigException("--families", List.of("unknown family '" + f + "'; known: "
                        + WorkerConfigDef.FAMILIES));
            }
        }
        TargetConfig target = WorkerConfigs.target(worker);
        PostgresAddress address = WorkerConfigs.postgres(worker);
        CheckReport report;
        try (HikariDataSource ds = Database.pool(address, "check", worker.integer(WorkerConfigDef.POOL_SIZE));
             CheckRegistry registry = Checks.forFamilies(selected)) {
            ResolvedTarget resolved;
            try (Connection c = ds.getConnection()) {
                resolved = TargetCatalog.resolve(c, target);
            }
            CheckContext context = new CheckContext(resolved, ds, Clock.systemUTC(), Trigger.manual(),
                    worker.millis(WorkerConfigDef.STATEMENT_TIMEOUT_MS), worker.millis(WorkerConfigDef.LOCK_TIMEOUT_MS));
            CheckRunner runner = new CheckRunner(Clock.systemUTC());
            List<CheckExecution> executions = new ArrayList<>();
            for (Check check : registry.all()) {
                executions.add(runner.run(check, context, CheckScope.all()));
            }
            Map<String, String> appendix = new LinkedHashMap<>();
            for (Check check : registry.all()) {
                if (check instanceof IsolationMatrixCheck matrix && matrix.lastMatrix() != null) {
                    appendix.put("Isolation matrix (observed on probe tables)", matrix.lastMatrix().toMarkdownTable());
                }
            }
            report = new CheckReport(target.name(), context.clock().instant(), executions, appendix);
        }
        String rendered = reportFormat.render(report);
        if (output != null) {
            Files.writeString(output, rendered, StandardCharsets.UTF_8);
            spec.commandLine().getOut().println("report written to " + output);
        } else {
            spec.commandLine().getOut().print(rendered);
        }
        spec.commandLine().getOut().flush();
        return report.failsPipeline() ? 1 : 0;
    }

    private static ReportFormat parseFormat(String format) {
        try {
            return ReportFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--format", List.of("unknown format '" + format + "'; use text, json, junit or html"));
        }
    }
}
