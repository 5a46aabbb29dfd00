package dev.deltawatch.worker.testing;

import dev.deltawatch.worker.infra.PostgresAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What deltawatch promises a staging database, held after every test of the suite (registered for all tests by
 * autodetection, {@code META-INF/services}): no prepared transactions, no deltawatch session idle in a
 * transaction or holding a lock while idle (session advisory locks only once the class is done), and — in each reference-target database the test class made — no probe
 * rows and no probe tables. Tests whose infrastructure never started are not looked at.
 *
 * <p>Work of a worker still running in the background (a runtime a class keeps across tests) is in flight, not
 * left behind: the state must become clean within {@link #SETTLE}, else the test fails with the list of what
 * is left, naming session pids, application names, databases and counts.
 */
public final class StagingHygieneExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    static final Duration SETTLE = Duration.ofSeconds(10);
    private static final String PROBE_NAMESPACE = "__deltawatch_probe__";
    private static final String APPLICATION = "test-staging-hygiene";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(StagingHygieneExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        // Databases made from here on belong to this class; older ones are another class's business.
        context.getStore(NS).put("firstDatabase", TestInfrastructure.createdDatabases().size());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        verify(context, "after " + context.getDisplayName(), false);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        verify(context, "after all tests of " + context.getDisplayName(), true);
    }

    /**
     * {@code classDone}: the class's own workers are closed too, so session advisory locks (capture leadership,
     * findings decisions) count; between tests a worker the class keeps running legitimately holds them.
     */
    private static void verify(ExtensionContext context, String when, boolean classDone) throws Exception {
        if (TestInfrastructure.startedOrNull() == null) {
            return;
        }
        Integer first = context.getStore(NS).get("firstDatabase", Integer.class);
        List<PostgresAddress> created = TestInfrastructure.createdDatabases();
        List<PostgresAddress> own = created.subList(Math.min(first == null ? 0 : first, created.size()), created.size());
        long deadline = System.nanoTime() + SETTLE.toNanos();
        List<String> left = leftovers(own, classDone);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            left = leftovers(own, classDone);
        }
        if (!left.isEmpty()) {
            throw new AssertionError("staging hygiene " + when + ": deltawatch left this behind (still there after "
                    + SETTLE.toSeconds() + " s):\n  - " + String.join("\n  - ", left));
        }
    }

    /** Everything left behind right now; empty when clean. */
    static List<String> leftovers(List<PostgresAddress> databases, boolean advisoryLocks) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(TestInfrastructure.postgres())) {
            rows(c, "SELECT format('prepared transaction %L in database %s (owner %s, prepared %s)', gid, database, "
                    + "owner, prepared) FROM pg_prepared_xacts", out);
            rows(c, "SELECT format('session pid %s (%s) in database %s is %s since %s: %s', pid, application_name, "
                    + "datname, state, state_change, left(query, 200)) FROM pg_stat_activity "
                    + "WHERE state LIKE 'idle in transaction%' AND application_name LIKE 'deltawatch-%' "
                    + "AND pid <> pg_backend_pid()", out);
            // A deltawatch session that is idle yet holds a lock leaked it (a session-level advisory lock, or
            // an open transaction); locks of running statements are in flight and not counted.
            rows(c, "SELECT format('session pid %s (%s, %s) in database %s holds %s lock on %s', l.pid, "
                    + "a.application_name, a.state, a.datname, l.mode, coalesce(l.relation::regclass::text, "
                    + "l.locktype || coalesce(' ' || l.objid, ''))) FROM pg_locks l JOIN pg_stat_activity a ON "
                    + "a.pid = l.pid WHERE l.granted AND a.application_name LIKE 'deltawatch-%' "
                    + "AND a.state <> 'active' AND l.locktype <> 'virtualxid' AND l.pid <> pg_backend_pid()"
                    + (advisoryLocks ? "" : " AND l.locktype <> 'advisory'"), out);
        }
        for (PostgresAddress db : databases) {
            try (Connection c = connect(db)) {
                probeRows(c, out);
            } catch (SQLException e) {
                // 3D000: the test dropped its database; nothing can be left in it.
                if (!"3D000".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
        return out;
    }

    private static void probeRows(Connection c, List<String> out) throws SQLException {
        boolean reference;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_attribute WHERE attrelid = "
                + "to_regclass('public.pfa_records') AND attname = 'organization_id' AND NOT attisdropped");
             ResultSet rs = ps.executeQuery()) {
            reference = rs.next();
        }
        if (reference) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM public.pfa_records "
                    + "WHERE organization_id = ?")) {
                ps.setString(1, PROBE_NAMESPACE);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        out.add(rs.getLong(1) + " probe row(s) in " + c.getCatalog() + ".public.pfa_records");
                    }
                }
            }
        }
        rows(c, "SELECT format('probe table %I.%I in database %s', n.nspname, r.relname, current_database()) "
                + "FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace "
                + "WHERE n.nspname = 'deltawatch_probe' AND r.relkind = 'r'", out);
    }

    private static void rows(Connection c, String sql, List<String> out) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
    }

    private static Connection connect(PostgresAddress address) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", address.user());
        p.setProperty("password", address.password());
        p.setProperty("ApplicationName", APPLICATION);
        return DriverManager.getConnection(address.jdbcUrl(), p);
    }
}
