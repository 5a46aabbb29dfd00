package dev.deltawatch.worker.bench;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.config.ConfigKey;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.publish.report.CheckReport;
import dev.deltawatch.worker.runtime.OneShotCheck;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.target.seed.Seeder;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deltawatch bench check}: the wall time of one {@code deltawatch check} pass (all families, the command's
 * own code path and defaults) on the reference target seeded with {@code --rows} realistic records by the seed tool,
 * and each check's duration. {@code checks_sum_s} is what the pass would take with every check in line; the
 * difference is the lanes running side by side (see {@link OneShotCheck}). Prints one JSON line; the database is
 * created and dropped, or with {@code --database} kept and reused (seeded only when it holds fewer records than
 * {@code --rows}). {@code check_rss_peak_mb} is the bench JVM's peak resident set during the pass alone (the peak is
 * reset after seeding); {@code loadavg_*} is the machine's load average before and after, since the machine is
 * shared and a figure means little without it; {@code pg_cpu_s} (the whole server, when it runs on this host) and
 * {@code jvm_cpu_s} are the CPU seconds the pass cost, which load on a shared machine does not inflate as it does
 * wall time.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Wall time of `check` (all families) on a seeded reference target; one JSON line.")
public final class CheckBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "20000", description = "Records to seed (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed of the seed tool.")
    long seed;

    @Option(names = "--database", description = "Keep the seeded database under this name and reuse it on the next "
            + "run (needs a server that outlives the bench: DELTAWATCH_JDBC_URL, e.g. from `deltawatch infra up`).")
    String database;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", "check");
        out.put("rows", rows);
        try (BenchDatabase db = database == null ? new BenchDatabase("deltawatch_bench_check")
                : BenchDatabase.kept(database)) {
            long s0 = System.nanoTime();
            if (db.keep() && KeptTarget.records(db.address()) >= rows) {
                KeptTarget.forgetPreviousRuns(db.address());
                out.put("seed_s", "reused " + database);
            } else {
                new Seeder(db.address(), null, false).seed(SeedOptions.of(rows, seed, true));
                out.put("seed_s", BenchDatabase.round((System.nanoTime() - s0) / 1e9, 2));
            }
            out.put("loadavg_before", ProcessFigures.loadAverage());
            ProcessFigures.resetPeakRss();
            double pg0 = pgCpu(db);
            double jvm0 = ProcessFigures.jvmCpuSeconds();
            OneShotCheck.Settings settings = new OneShotCheck.Settings(db.address(),
                    Integer.parseInt(WorkerConfigDef.POOL_SIZE.defaultValue()),
                    defaultMillis(WorkerConfigDef.STATEMENT_TIMEOUT_MS), defaultMillis(WorkerConfigDef.LOCK_TIMEOUT_MS),
                    Duration.ofMillis(OneShotCheck.DEFAULT_POOLING_WINDOW_MS));
            long t0 = System.nanoTime();
            CheckReport report = new OneShotCheck(Clock.systemUTC()).run(ReferenceTarget.config(),
                    new LinkedHashSet<>(WorkerConfigDef.FAMILIES), settings);
            double wall = (System.nanoTime() - t0) / 1e9;
            out.put("check_wall_s", BenchDatabase.round(wall, 2));
            out.put("check_rss_peak_mb", ProcessFigures.peakRssMb());
            // CPU seconds, not wall time, compare across runs on a shared machine.
            double pg1 = pgCpu(db);
            out.put("pg_cpu_s", pg0 < 0 || pg1 < 0 ? -1 : BenchDatabase.round(pg1 - pg0, 1));
            out.put("jvm_cpu_s", BenchDatabase.round(ProcessFigures.jvmCpuSeconds() - jvm0, 1));
            out.put("loadavg_after", ProcessFigures.loadAverage());
            Map<String, Long> perCheck = new LinkedHashMap<>();
            long sum = 0;
            for (CheckRun run : report.executions().stream().map(e -> e.run()).toList()) {
                perCheck.put(run.check(), run.durationMs());
                sum += run.durationMs();
            }
            out.put("checks_sum_s", BenchDatabase.round(sum / 1e3, 2));
            out.put("incomplete", report.incomplete());
            out.put("errors", report.errors().stream().map(r -> r.check() + ": " + r.error()).toList());
            Map<String, Long> findings = new LinkedHashMap<>();
            for (Severity s : Severity.values()) {
                findings.put(s.name(), report.count(s));
            }
            out.put("findings", findings);
            // What would fail a pipeline, by rule and subject: a false HIGH on the clean target shows here.
            out.put("blocker_high", report.executions().stream().flatMap(e -> e.findings().stream())
                    .filter(f -> f.severity() == Severity.BLOCKER || f.severity() == Severity.HIGH)
                    .map(f -> f.rule() + " " + f.subject().name() + ": " + f.title()).toList());
            out.put("check_ms", perCheck);
        }
        spec.commandLine().getOut().println(BenchDatabase.jsonLine(out));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static double pgCpu(BenchDatabase db) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.address().jdbcUrl(), db.address().user(),
                db.address().password())) {
            return ProcessFigures.postgresServerCpuSeconds(c);
        }
    }

    /** The setting {@code check} runs with when the config leaves it out. */
    private static Duration defaultMillis(ConfigKey key) {
        return Duration.ofMillis(Long.parseLong(key.defaultValue()));
    }
}
