package dev.deltawatch.worker.capture;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

/**
 * A fresh database with the reference target and {@code rows} records (or an empty example target), capture
 * installed for its config, and unique
 * slot / publication / topic names. {@link #close()} stops capture and drops the slot: a leftover slot would
 * retain WAL on the shared server.
 */
final class CaptureFixture implements AutoCloseable {
    final HikariDataSource ds;
    final PostgresAddress address;
    final CaptureSettings settings;
    final SchemaMode installedMode;
    final TargetConfig target;
    private ChangeCapture capture;

    CaptureFixture(String name, int rows, SchemaMode mode) throws SQLException {
        this(name, TestInfrastructure.referenceTarget(name), ReferenceTarget.config(), mode, rows);
    }

    /** An example target (empty: the test writes its own rows), capture installed for its config. */
    CaptureFixture(String name, ExampleTarget example) throws SQLException {
        this(name, example(name, example), example.config(), SchemaMode.AUTO, 0);
    }

    private CaptureFixture(String name, HikariDataSource ds, TargetConfig target, SchemaMode mode, int rows)
            throws SQLException {
        this.ds = ds;
        this.target = target;
        address = new PostgresAddress(ds.getJdbcUrl(), ds.getUsername(), ds.getPassword());
        String id = name.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + System.nanoTime() % 1_000_000;
        settings = CaptureSettings.defaults()
                .withNames("dw_" + id, "dw_pub_" + id, TestInfrastructure.uniqueTopic("changes-" + name),
                        TestInfrastructure.uniqueTopic("offsets-" + name))
                .withSchemaMode(mode, Duration.ofMillis(500))
                .withTiming(Duration.ofSeconds(1), Duration.ofMillis(300))
                .withDeadLetterTopic(TestInfrastructure.uniqueTopic("dlq-" + name));
        if (rows > 0) {
            seed(rows);
        }
        installedMode = CaptureInstaller.install(ds, target, settings);
    }

    private static HikariDataSource example(String name, ExampleTarget example) {
        HikariDataSource ds = Database.pool(TestInfrastructure.freshDatabase(name), "test", 8);
        example.install(ds);
        return ds;
    }

    ChangeCapture newCapture() {
        return new ChangeCapture(address, TestInfrastructure.kafka(), target, settings, Clock.systemUTC());
    }

    /** Starts capture and waits until it reads its slot. */
    ChangeCapture startCapture() throws InterruptedException {
        capture = newCapture();
        capture.start();
        if (!capture.awaitStreaming(Duration.ofSeconds(60))) {
            throw new AssertionError("capture did not start streaming; state " + capture.state());
        }
        return capture;
    }

    /** The capture {@link #startCapture()} started, or null. */
    ChangeCapture capture() {
        return capture;
    }

    void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void seed(int rows) throws SQLException {
        execute("INSERT INTO pfa_records (organization_id, mirror_json) SELECT 'RIO', jsonb_build_object("
                + "'category', 'Cranes', 'forecast', jsonb_build_object('start', '2024-03-01'), 'n', g) "
                + "FROM generate_series(1, " + rows + ") g");
    }

    @Override
    public void close() throws SQLException {
        if (capture != null) {
            capture.close();
        }
        try {
            CaptureInstaller.dropSlot(ds, settings.slotName());
        } finally {
            ds.close();
        }
    }
}
