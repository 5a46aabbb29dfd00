package dev.deltawatch.worker.bench;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.target.load.LoadOptions;
import dev.deltawatch.worker.target.load.LoadReport;
import dev.deltawatch.worker.target.load.LoadRunner;
import dev.deltawatch.worker.target.load.ParameterDraws;
import dev.deltawatch.worker.target.load.Scenario;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.target.seed.Seeder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench load}: the read storm's query run by pgbench (custom scripts, one per (organization, category)
 * pair weighted by its record count, prepared mode) and by our harness with the same pairs, clients and duration.
 * Keys: ours_tps, pgbench_tps, ratio (goal >= 0.9: the harness must not be the bottleneck).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Our read-storm harness against pgbench on the same query; one JSON line.")
public final class LoadBench implements Callable<Integer> {
    static final int PAIRS = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "1000000", description = "Rows to seed (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--clients", defaultValue = "100", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--duration", defaultValue = "30", description = "Seconds per run (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--query", defaultValue = "records-by-org-category",
            description = "Registered read query (default: ${DEFAULT-VALUE}).")
    String queryName;

    @Option(names = "--pgbench", description = "pgbench binary (default: /usr/lib/postgresql/15/bin/pgbench, "
            + "else pgbench on the PATH).")
    Path pgbench;

    @Override
    public Integer call() throws Exception {
        TargetConfig config = ReferenceTarget.config();
        RegisteredQuery query = config.queries().stream().filter(q -> q.name().equals(queryName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no registered query named " + queryName));
        try (BenchDatabase db = new BenchDatabase("deltawatch_bench_load")) {
            new Seeder(db.address(), null, false).seed(SeedOptions.of(rows, 42, true));
            try (Connection admin = DriverManager.getConnection(db.address().jdbcUrl(), db.address().user(),
                    db.address().password())) {
                ResolvedTarget target = TargetCatalog.resolve(admin, config);
                ParameterDraws draws = ParameterDraws.sample(admin, target, 1).restrictedTo(PAIRS);
                LoadRunner runner = new LoadRunner(db.address(), config, null);
                LoadOptions options = new LoadOptions(Scenario.READ_STORM, Duration.ofSeconds(seconds), clients,
                        LoadOptions.DEFAULT_RECORDS_PER_MINUTE, LoadOptions.DEFAULT_BATCH_SIZE, List.of(queryName), 1);
                // Warm the caches once, so neither side pays for cold reads.
                runner.run(new LoadOptions(Scenario.READ_STORM, Duration.ofSeconds(Math.min(10, seconds)), clients,
                        LoadOptions.DEFAULT_RECORDS_PER_MINUTE, LoadOptions.DEFAULT_BATCH_SIZE, List.of(queryName), 2),
                        admin, target, draws);
                PgbenchRun pg = new PgbenchRun(pgbench, db.address());
                double pgTps = pg.run(query, draws, clients, seconds);
                LoadReport ours = runner.run(options, admin, target, draws);
                double ourTps = ours.throughputPerS();
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("ours_tps", BenchDatabase.round(ourTps, 1));
                out.put("pgbench_tps", BenchDatabase.round(pgTps, 1));
                out.put("ratio", BenchDatabase.round(ourTps / pgTps, 3));
                out.put("clients", clients);
                out.put("duration_s", seconds);
                out.put("rows", rows);
                out.put("query", queryName);
                out.put("ours_p50_ms", ours.operation(queryName).p50Ms());
                out.put("ours_p95_ms", ours.operation(queryName).p95Ms());
                out.put("ours_failures", ours.failures());
                out.put("pgbench_avg_latency_ms", pg.averageLatencyMs());
                out.put("load_generator_cpu_avg_pct", ours.resources().loadCpuAvgPct());
                spec.commandLine().getOut().println(BenchDatabase.jsonLine(out));
                spec.commandLine().getOut().flush();
            }
        }
        return 0;
    }
}
