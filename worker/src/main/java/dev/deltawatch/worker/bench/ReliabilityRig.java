package dev.deltawatch.worker.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stage of a reliability scenario: a reference target with {@code records} seeded records, a merge function
 * that deletes on JSON null (merge fault 2, so findings exist to be announced or duplicated), capture installed,
 * and a worker config with names of its own. The scenario starts worker processes and an update stream on it, breaks
 * something, and asks the {@link VerificationLedger} what came through. {@link #close()} removes it all.
 */
public final class ReliabilityRig implements AutoCloseable {
    private static final String FAULT = "/faults/merge/02_delta_null_deletes.sql";

    private final String name;
    private final PostgresAddress server;
    private final PostgresAddress database;
    private final KafkaAddress kafka;
    private final HikariDataSource pool;
    private final Path workDir;
    private final Path config;
    private final int metricsPort;
    private final int records;
    private final String families;
    private final long initialVersions;
    private final List<WorkerProcess> workers = new ArrayList<>();

    private ReliabilityRig(String name, PostgresAddress server, KafkaAddress kafka, int records, String families)
            throws Exception {
        this.name = name;
        this.families = families;
        this.server = server;
        this.kafka = kafka;
        this.records = records;
        this.database = Database.createDatabase(server, name);
        this.pool = Database.pool(database, "scenario", 4);
        ReferenceTarget.install(pool);
        ReferenceSeed.seed(pool, records);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(resource(FAULT));
        }
        CaptureInstaller.install(pool, ReferenceTarget.config(), captureSettings());
        this.initialVersions = versionSum();
        this.workDir = Files.createTempDirectory("deltawatch-" + name + "-");
        this.metricsPort = freePort();
        this.config = workDir.resolve("worker.yaml");
        Files.writeString(config, workerYaml());
    }

    /**
     * Creates the database {@code name} (letters, digits, underscores) on {@code server} and sets it up; its workers
     * run the merge family.
     */
    public static ReliabilityRig create(PostgresAddress server, KafkaAddress kafka, String name, int records)
            throws Exception {
        return create(server, kafka, name, records, "merge");
    }

    /** As {@link #create(PostgresAddress, KafkaAddress, String, int)}, with workers running {@code families}. */
    public static ReliabilityRig create(PostgresAddress server, KafkaAddress kafka, String name, int records,
                                        String families) throws Exception {
        return new ReliabilityRig(name, server, kafka, records, families);
    }

    private CaptureSettings captureSettings() {
        return CaptureSettings.defaults().withNames(name, name, changesTopic(), "deltawatch.capture.offsets." + name);
    }

    private String workerYaml() {
        return """
                deltawatch:
                  database.jdbc.url: %s
                  database.user: %s
                  kafka.bootstrap.servers: %s
                  kafka.topic.changes: %s
                  kafka.topic.findings: %s
                  kafka.topic.check-runs: %s
                  kafka.topic.dlq: %s.dlq
                  kafka.group.id: %s
                  capture.slot.name: %s
                  capture.publication.name: %s
                  capture.heartbeat.interval.ms: 1000
                  route.coalesce.window.ms: 200
                  check.families: %s
                  metrics.port: %d
                """.formatted(database.jdbcUrl(), database.user(),
                kafka.bootstrapServers(), changesTopic(), findingsTopic(), checkRunsTopic(), name, name, name, name,
                families, metricsPort);
    }

    public String changesTopic() {
        return name + ".changes";
    }

    public String findingsTopic() {
        return name + ".findings";
    }

    public String checkRunsTopic() {
        return name + ".check-runs";
    }

    public HikariDataSource dataSource() {
        return pool;
    }

    /** Starts {@code deltawatch run} on this stage in a child process; its output goes to {@code worker-N.log}. */
    public WorkerProcess startWorker() {
        String password = database.password();
        Map<String, String> env = password == null || password.isEmpty() ? Map.of()
                : Map.of("DELTAWATCH_DATABASE_PASSWORD", password);
        WorkerProcess w = WorkerProcess.start(config, env, metricsPort,
                workDir.resolve("worker-" + workers.size() + ".log"));
        workers.add(w);
        return w;
    }

    /** Updates over the seeded records, in transactions of {@code batchRows}; see {@link UpdateStream}. */
    public UpdateStream stream(long total, int batchRows, int perSecond) {
        return new UpdateStream(pool, records, batchRows, total, perSecond);
    }

    /** Record versions committed since the stage was set up, as the database counts them. */
    public long committedVersions() throws SQLException {
        return versionSum() - initialVersions;
    }

    private long versionSum() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(sum(version), 0) FROM pfa_records")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public VerificationLedger ledger() {
        return new VerificationLedger(kafka, changesTopic(), checkRunsTopic(), findingsTopic());
    }

    /**
     * Waits until every committed version is verified, or the timeout passes; returns the last tally. A run's
     * findings are announced just after the run itself, so the final tally is taken a moment later.
     */
    public VerificationLedger.Tally awaitVerified(Duration timeout) throws Exception {
        long expected = committedVersions();
        long deadline = System.nanoTime() + timeout.toNanos();
        VerificationLedger.Tally tally = ledger().tally();
        while (tally.verified() < expected && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            tally = ledger().tally();
        }
        Thread.sleep(3000);
        return ledger().tally();
    }

    /** Whether a walsender reads this stage's slot now. */
    public boolean slotActive() throws SQLException {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Waits until the slot exists and is read: before that, capture would miss updates. */
    public boolean awaitSlotActive(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (slotActive()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    @Override
    public void close() {
        workers.forEach(WorkerProcess::close);
        pool.close();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             PreparedStatement drop = c.prepareStatement(
                     "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?");
             Statement s = c.createStatement()) {
            drop.setString(1, name);
            drop.execute();
            // DROP DATABASE takes no parameters; the name matched [a-z_][a-z0-9_]* when the database was created.
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("scenario: could not remove " + name + ": " + e.getMessage());
        }
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = ReliabilityRig.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
