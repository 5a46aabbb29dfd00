package dev.deltawatch.worker.check.lock;

import static dev.deltawatch.worker.check.lock.LockTestSupport.assertNothingLeftBehind;
import static dev.deltawatch.worker.check.lock.LockTestSupport.count;
import static dev.deltawatch.worker.check.lock.LockTestSupport.fastSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProbeRowsIT {
    private static HikariDataSource ds;
    private static CheckContext context;

    @BeforeAll
    static void install() throws Exception {
        ds = TestInfrastructure.referenceTarget("probe_rows");
        context = TestInfrastructure.referenceContext(ds);
    }

    @AfterAll
    static void close() throws Exception {
        assertNothingLeftBehind(ds);
        ds.close();
    }

    @Test
    void sweepRemovesRowsOfACrashedProbeButNotOfARunningOne() throws Exception {
        // The "crashed" probe: its own pool, closed without cleanup, so its sessions are gone.
        HikariDataSource crashed = Database.pool(TestInfrastructure.postgres()
                .withDatabase(ds.getJdbcUrl().substring(ds.getJdbcUrl().lastIndexOf('/') + 1)), "crashed", 1);
        try (ProbeSession s = ProbeSession.open(crashed, fastSettings(), "crashed")) {
            ProbeRows rows = s.inTransaction(c -> ProbeRows.resolve(c, context));
            rows.create(s);
            rows.create(s);
        }
        crashed.close();
        try (ProbeSession live = ProbeSession.open(ds, fastSettings(), "live")) {
            ProbeRows rows = live.inTransaction(c -> ProbeRows.resolve(c, context));
            String mine = rows.create(live);
            assertThat(rows.count(live)).isEqualTo(3);
            assertThat(rows.sweep(live)).isEqualTo(2);
            assertThat(rows.count(live)).isEqualTo(1);
            rows.delete(live, List.of(mine));
        }
        try (Connection c = ds.getConnection()) {
            assertThat(count(c, "SELECT count(*) FROM organizations WHERE id = '__deltawatch_probe__'")).isZero();
        }
    }

    @Test
    void sweepAtStartDropsTheIsolationTableOfACrashedProbe() throws Exception {
        try (Connection c = ds.getConnection(); var s = c.createStatement()) {
            s.execute("CREATE SCHEMA deltawatch_probe");
            s.execute("CREATE TABLE deltawatch_probe.hermitage_dead (id int PRIMARY KEY, value int)");
            s.execute("COMMENT ON TABLE deltawatch_probe.hermitage_dead IS 'deltawatch probe pid 999999999'");
        }
        assertThat(LockChecks.sweepAtStart(context, fastSettings())).isZero();
        try (Connection c = ds.getConnection()) {
            assertThat(count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'deltawatch_probe'")).isZero();
        }
    }

    @Test
    void probeColumnMissingFromTheCatalogIsRefusedByName() throws Exception {
        TargetConfig base = context.target().config();
        TargetConfig wrong = new TargetConfig(2, base.name(), base.schema(), base.documents(), base.merge(),
                base.write(), base.queries(), new TargetConfig.Probes("org\"; DROP TABLE pfa_records; --", "x", null,
                null));
        var t = context.target();
        CheckContext bad = new CheckContext(new dev.deltawatch.worker.check.ResolvedTarget(wrong, t.schema(),
                t.tables(), t.merge(), t.writeFunction(), t.inputDomain()), ds, context.clock(), null, null, null);
        try (ProbeSession s = ProbeSession.open(ds, fastSettings(), "bad")) {
            assertThatThrownBy(() -> s.inTransaction(c -> ProbeRows.resolve(c, bad)))
                    .hasMessageContaining("probes.column").hasMessageContaining("has no column");
        }
    }

    @Test
    void probeSessionsRunUnderTimeoutsAndAreNamed() throws Exception {
        try (ProbeSession s = ProbeSession.open(ds, fastSettings(), "named")) {
            String[] seen = s.inTransaction(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT current_setting('lock_timeout'), "
                        + "current_setting('statement_timeout'), current_setting('idle_in_transaction_session_timeout'), "
                        + "current_setting('application_name')")) {
                    rs.next();
                    return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)};
                }
            });
            assertThat(seen).containsExactly("2s", "10s", "20s", "deltawatch-probe:named");
        }
    }
}
