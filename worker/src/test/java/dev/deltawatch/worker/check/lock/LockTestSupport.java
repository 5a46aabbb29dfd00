package dev.deltawatch.worker.check.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.worker.check.CheckResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/** Shared by the lock and edge tests: fault migrations, fast settings, and the "nothing left behind" assertion. */
public final class LockTestSupport {
    private LockTestSupport() {}

    /** Short timeouts and few workers, so a probe run takes well under a second on a clean target. */
    public static LockProbeSettings fastSettings() {
        return new LockProbeSettings(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(20),
                Duration.ofMillis(200), Duration.ofSeconds(2), 6, 3, Duration.ofMillis(20), Duration.ofMillis(300),
                Duration.ofMillis(500), null);
    }

    /** Applies {@code faults/<path>} from the test resources on the target. */
    public static void applyFault(DataSource ds, String path) throws SQLException, IOException {
        String sql;
        try (InputStream in = LockTestSupport.class.getResourceAsStream("/faults/" + path)) {
            assertThat(in).as("fault migration " + path).isNotNull();
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public static List<Finding> findings(List<CheckResult> results) {
        return results.stream().filter(CheckResult::failed).map(CheckResult::finding).toList();
    }

    /**
     * No probe rows, no namespace row, no probe schema, and no lock, prepared transaction, open transaction or
     * probe session of anyone but the asking connection in this database.
     */
    public static void assertNothingLeftBehind(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            assertThat(count(c, "SELECT count(*) FROM pfa_records WHERE organization_id = '__deltawatch_probe__'"))
                    .as("probe rows left").isZero();
            assertThat(count(c, "SELECT count(*) FROM organizations WHERE id = '__deltawatch_probe__'"))
                    .as("probe namespace row left").isZero();
        }
        assertNoProbeActivityLeft(ds);
    }

    /** No probe schema, and no lock, prepared transaction, open transaction or probe session of anyone else. */
    public static void assertNoProbeActivityLeft(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            assertThat(count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'deltawatch_probe'"))
                    .as("probe schema left").isZero();
            assertThat(count(c, "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    + "WHERE d.datname = current_database() AND l.pid <> pg_backend_pid()")).as("locks held").isZero();
            assertThat(count(c, "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"))
                    .as("prepared transactions").isZero();
            // Left behind means still there after a moment: a session of the test's own pool may be ending a
            // transaction just as this looks (seen once in CI), and one that persists is what this guards against.
            String others = "FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
                    + "AND (xact_start IS NOT NULL OR application_name LIKE 'deltawatch-probe:%')";
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (count(c, "SELECT count(*) " + others) > 0 && System.nanoTime() < deadline) {
                sleep();
            }
            assertThat(count(c, "SELECT count(*) " + others)).as("open transactions or probe sessions: "
                    + describe(c, "SELECT string_agg(application_name || ' ' || state || ': ' || left(query, 80), "
                    + "'; ') " + others)).isZero();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }

    public static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
