package dev.deltawatch.worker.runtime;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.check.CheckRegistry;
import dev.deltawatch.worker.check.CheckRunner;
import dev.deltawatch.worker.check.Checks;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.publish.report.CheckReport;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.seed.SeedOptions;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A demo target and worker: a fresh database on the server with an example target installed and seeded,
 * capture installed, and a worker running the merge, plan and lock families against it. Topics and the slot are
 * named after the database, so a demo never mixes with another on a shared broker. Closing stops the worker and
 * drops the slot (the database is kept for inspection).
 */
public final class DemoSession implements AutoCloseable {
    public static final Set<String> FAMILIES = Set.of("merge", "plan", "lock");

    private final String name;
    private final HikariDataSource pool;
    private final KafkaAddress kafka;
    private final ExampleTarget target;
    private WorkerRuntime runtime;

    private DemoSession(String name, HikariDataSource pool, KafkaAddress kafka, ExampleTarget target) {
        this.name = name;
        this.pool = pool;
        this.kafka = kafka;
        this.target = target;
    }

    /** A session on the reference target. */
    public static DemoSession prepare(PostgresAddress server, KafkaAddress kafka, long rows, PrintStream log)
            throws Exception {
        return prepare(server, kafka, ExampleTargets.REFERENCE, rows, log);
    }

    public static DemoSession prepare(PostgresAddress server, KafkaAddress kafka, ExampleTarget target, long rows,
                                      PrintStream log) throws Exception {
        String name = "deltawatch_demo_" + Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        PostgresAddress db = Database.createDatabase(server, name);
        HikariDataSource pool = Database.pool(db, "demo", 4);
        DemoSession session = new DemoSession(name, pool, kafka, target);
        try {
            target.install(pool);
            log.println("seeding " + rows + " records of the " + target.name() + " target into database " + name
                    + " ...");
            target.seeder().seed(db, SeedOptions.of(rows, SeedOptions.DEFAULT_SEED, true), log, false);
            return session;
        } catch (Exception e) {
            session.close();
            throw e;
        }
    }

    /** Every check of the tour's families once, on the clean target (this also records plan baselines). */
    public CheckReport cleanCheck() throws Exception {
        TargetConfig config = target.config();
        CheckContext context;
        try (Connection c = pool.getConnection()) {
            context = new CheckContext(TargetCatalog.resolve(c, config), pool, Clock.systemUTC(), Trigger.manual(),
                    null, null);
        }
        List<CheckExecution> executions = new ArrayList<>();
        try (CheckRegistry registry = Checks.forFamilies(FAMILIES)) {
            CheckRunner runner = new CheckRunner(Clock.systemUTC());
            for (Check check : registry.all()) {
                executions.add(runner.run(check, context, CheckScope.all()));
            }
        }
        return new CheckReport(config.name(), context.clock().instant(), executions);
    }

    /** Installs capture and starts the worker; returns once capture streams. */
    public void startWorker(int metricsPort) throws Exception {
        CaptureInstaller.install(pool, target.config(), captureSettings());
        String yaml = """
                deltawatch:
                  database.jdbc.url: %s
                  kafka.bootstrap.servers: %s
                  kafka.topic.changes: %s.changes
                  kafka.topic.findings: %s.findings
                  kafka.topic.check-runs: %s.check-runs
                  kafka.topic.dlq: %s.dlq
                  kafka.group.id: %s
                  capture.slot.name: %s
                  capture.publication.name: %s
                  capture.heartbeat.interval.ms: 1000
                  check.families: merge,plan,lock
                  metrics.port: %d
                """.formatted(pool.getJdbcUrl(), kafka.bootstrapServers(), name, name, name, name, name, name, name,
                metricsPort);
        WorkerConfig config = WorkerConfigLoader.parse(yaml, "demo", Map.of(), List.of());
        runtime = WorkerRuntime.start(config, target.config(),
                new PostgresAddress(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword() == null ? ""
                        : pool.getPassword()), kafka, Clock.systemUTC());
        if (!runtime.capture().awaitStreaming(Duration.ofSeconds(90))) {
            throw new IllegalStateException("capture did not start streaming within 90 s");
        }
    }

    /**
     * Whether this target has a guided tour. Only the reference target's tour exists so far (its faults revert
     * with the reference definitions); the other targets install, seed and watch without one.
     */
    public boolean hasTour() {
        return target == ExampleTargets.REFERENCE;
    }

    public ExampleTarget target() {
        return target;
    }

    public DemoTour tour(PrintStream out, Duration timeout, Duration settle) {
        return new DemoTour(pool, kafka, findingsTopic(), out, timeout, settle);
    }

    public String findingsTopic() {
        return name + ".findings";
    }

    public String database() {
        return name;
    }

    public int metricsPort() {
        return runtime.metricsPort();
    }

    private CaptureSettings captureSettings() {
        return CaptureSettings.defaults().withNames(name, name, name + ".changes", "deltawatch.capture.offsets." + name);
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ? AND NOT active")) {
            ps.setString(1, name);
            ps.execute();
        } catch (Exception e) {
            // The slot may not exist (the worker never started); nothing else to clean.
        }
        pool.close();
    }
}
