package dev.deltawatch.worker.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.target.seed.Seeder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The stage of {@code bench always-on}: a database holding the reference target seeded with the seed tool's
 * realistic records, capture installed, and the config of a worker watching it with every family (topics, group
 * and slot named after the database). With {@code reuseSeed} the seeded records come from a template database
 * kept on the server ({@code deltawatch_always_on_seed_<rows>}, made by the first run): a million rows take
 * minutes to seed and seconds to copy. {@link #close()} stops the worker, drops the slot and the database.
 */
final class AlwaysOnStage implements AutoCloseable {
    private final PostgresAddress server;
    private final String name;
    private final PostgresAddress database;
    private final HikariDataSource pool;
    private final Path workDir;
    private final Path config;
    private final int metricsPort;

    private AlwaysOnStage(PostgresAddress server, String name, KafkaAddress kafka) throws Exception {
        this.server = server;
        this.name = name;
        this.database = server.withDatabase(name);
        this.pool = Database.pool(database, "bench-always-on", 4);
        CaptureInstaller.install(pool, ReferenceTarget.config(), CaptureSettings.defaults()
                .withNames(name, name, changesTopic(), "deltawatch.capture.offsets." + name));
        this.workDir = Files.createTempDirectory("deltawatch-" + name + "-");
        this.metricsPort = freePort();
        this.config = workDir.resolve("worker.yaml");
        Files.writeString(config, """
                deltawatch:
                  database.jdbc.url: %s
                  database.user: %s
                  kafka.bootstrap.servers: %s
                  kafka.topic.changes: %s
                  kafka.topic.findings: %s
                  kafka.topic.check-runs: %s.check-runs
                  kafka.topic.dlq: %s.dlq
                  kafka.group.id: %s
                  capture.slot.name: %s
                  capture.publication.name: %s
                  capture.heartbeat.interval.ms: 1000
                  metrics.port: %d
                """.formatted(database.jdbcUrl(), database.user(), kafka.bootstrapServers(), changesTopic(),
                findingsTopic(), name, name, group(), name, name, metricsPort));
    }

    /** Creates the stage on {@code server}: a fresh database seeded with {@code rows} records (or a template's copy). */
    static AlwaysOnStage create(PostgresAddress server, KafkaAddress kafka, long rows, boolean reuseSeed,
                                PrintStream log) throws Exception {
        String name = "deltawatch_always_on_" + ProcessHandle.current().pid() + "_"
                + System.currentTimeMillis() % 100_000;
        if (reuseSeed) {
            String template = "deltawatch_always_on_seed_" + rows;
            if (!seeded(server, template, rows)) {
                log.println("bench always-on: seeding the kept template " + template + " (once) ...");
                seedInto(server, template, rows, log);
                admin(server, "COMMENT ON DATABASE " + template + " IS 'seeded " + rows + "'");
            }
            admin(server, "CREATE DATABASE " + name + " TEMPLATE " + template);
        } else {
            seedInto(server, name, rows, log);
        }
        try {
            return new AlwaysOnStage(server, name, kafka);
        } catch (Exception e) {
            admin(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            throw e;
        }
    }

    private static void seedInto(PostgresAddress server, String name, long rows, PrintStream log) throws SQLException {
        long t0 = System.nanoTime();
        new Seeder(Database.createDatabase(server, name), null, false).seed(SeedOptions.of(rows, 42, true));
        log.printf("bench always-on: seeded %,d records in %.0f s%n", rows, (System.nanoTime() - t0) / 1e9);
    }

    /** Whether the template exists and its seed completed (the comment is written last). */
    private static boolean seeded(PostgresAddress server, String template, long rows) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             PreparedStatement ps = c.prepareStatement("SELECT shobj_description(oid, 'pg_database') "
                     + "FROM pg_database WHERE datname = ?")) {
            ps.setString(1, template);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                if (("seeded " + rows).equals(rs.getString(1))) {
                    return true;
                }
            }
            admin(server, "DROP DATABASE " + template + " WITH (FORCE)"); // a seed that did not finish
            return false;
        }
    }

    /** DDL on the server; names here come from a fixed prefix and digits only. */
    private static void admin(PostgresAddress server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    PostgresAddress database() {
        return database;
    }

    HikariDataSource pool() {
        return pool;
    }

    String changesTopic() {
        return name + ".changes";
    }

    String findingsTopic() {
        return name + ".findings";
    }

    String group() {
        return name;
    }

    /**
     * {@code deltawatch run} on this stage in a child JVM with {@code jvmOptions} and the Dockerfile's
     * {@code MALLOC_ARENA_MAX}; its log is in the work dir.
     */
    WorkerProcess startWorker(List<String> jvmOptions, int index) {
        String password = database.password();
        Map<String, String> env = new java.util.HashMap<>(Map.of("MALLOC_ARENA_MAX", "2"));
        if (password != null && !password.isEmpty()) {
            env.put("DELTAWATCH_DATABASE_PASSWORD", password);
        }
        return WorkerProcess.start(config, env, metricsPort, workDir.resolve("worker-" + index + ".log"), jvmOptions);
    }

    Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        pool.close();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             PreparedStatement drop = c.prepareStatement(
                     "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            drop.setString(1, name);
            drop.execute();
            admin(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("bench always-on: could not remove " + name + ": " + e.getMessage());
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
