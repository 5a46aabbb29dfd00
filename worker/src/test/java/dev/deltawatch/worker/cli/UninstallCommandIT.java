package dev.deltawatch.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.lock.LockProbeSettings;
import dev.deltawatch.worker.check.lock.ProbeRows;
import dev.deltawatch.worker.check.lock.ProbeSession;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.CliRun;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

/** {@code deltawatch uninstall} against a real database: everything deltawatch made goes, user data stays. */
class UninstallCommandIT {
    private static HikariDataSource ds;
    private static final String NAME = "dw_uninstall_" + ProcessHandle.current().pid();

    @BeforeAll
    static void target() {
        ds = TestInfrastructure.referenceTarget("uninstall");
    }

    @AfterAll
    static void close() throws SQLException {
        query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                + "WHERE database = current_database() AND NOT active");
        ds.close();
    }

    private static CliRun uninstall(String... extra) {
        List<String> args = new ArrayList<>(List.of("uninstall", "--jdbc-url", ds.getJdbcUrl(), "--slot", NAME,
                "--publication", NAME));
        args.addAll(List.of(extra));
        return CliRun.run(args.toArray(String[]::new));
    }

    /** Capture installed, its slot created, probe rows left as a crashed probe leaves them, a probe schema. */
    private static void installEverything() throws Exception {
        CaptureInstaller.install(ds, ReferenceTarget.config(),
                CaptureSettings.defaults().withNames(NAME, NAME, NAME + ".changes", "offsets." + NAME));
        query("SELECT slot_name FROM pg_create_logical_replication_slot('" + NAME + "', 'pgoutput')");
        CheckContext context = TestInfrastructure.referenceContext(ds);
        try (ProbeSession session = ProbeSession.open(ds, LockProbeSettings.defaults(), "test")) {
            ProbeRows rows = session.inTransaction(c -> ProbeRows.resolve(c, context));
            rows.create(session);
            rows.create(session);
        }
        query("CREATE SCHEMA IF NOT EXISTS deltawatch_probe; "
                + "CREATE TABLE IF NOT EXISTS deltawatch_probe.hermitage_left (id int)");
        query("CREATE TABLE IF NOT EXISTS deltawatch.plan_baselines_probe (id int)");
    }

    private static long userRows() throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM pfa_records WHERE organization_id <> '__deltawatch_probe__'")
                .get(0));
    }

    @Test
    void removesEverythingDeltawatchInstalledAndNothingElseThenIsANoOp() throws Exception {
        query("INSERT INTO pfa_records (organization_id, mirror_json) VALUES ('HOLNG', '{\"category\":\"Cranes\"}'),"
                + " ('HOLNG', '{\"category\":\"Pumps\"}')");
        long before = userRows();
        installEverything();
        assertThat(probeRows()).isEqualTo(2);

        CliRun dry = uninstall("--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("dry run").contains("would remove: replication slot " + NAME)
                .contains("would remove: probe rows").doesNotContain("removed: ");
        assertThat(query("SELECT slot_name FROM pg_replication_slots WHERE slot_name = '" + NAME + "'")).hasSize(1);
        assertThat(probeRows()).isEqualTo(2);

        CliRun first = uninstall();
        assertThat(first.code()).as(first.err() + first.out()).isZero();
        assertThat(first.out()).contains("removed: replication slot " + NAME)
                .contains("removed: publication " + NAME)
                .contains("removed: event trigger deltawatch_ddl_end")
                .contains("removed: event trigger deltawatch_sql_drop")
                .contains("removed: schema deltawatch (")
                .contains("removed: schema deltawatch_probe (")
                .containsPattern("removed: probe rows .*pfa_records.*organization_id")
                .contains("2 row(s)");
        assertNothingLeft();
        assertThat(userRows()).isEqualTo(before);

        CliRun second = uninstall();
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).doesNotContain("removed: ").contains("already absent: replication slot " + NAME)
                .contains("already absent: schema deltawatch_probe");
        assertThat(userRows()).isEqualTo(before);
    }

    @Test
    void anActiveSlotIsRefusedAndNothingIsRemovedUnlessForced() throws Exception {
        installEverything();
        try (Connection replication = TestInfrastructure.replicationConnection(ds.getJdbcUrl());
             PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                     .replicationStream().logical().withSlotName(NAME)
                     .withSlotOption("proto_version", 1).withSlotOption("publication_names", NAME).start()) {
            assertThat(query("SELECT active::text FROM pg_replication_slots WHERE slot_name = '" + NAME + "'"))
                    .containsExactly("true");

            CliRun refused = uninstall();
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("replication slot " + NAME + " is active").contains("--force")
                    .contains("Nothing was removed");
            assertThat(query("SELECT pubname FROM pg_publication WHERE pubname = '" + NAME + "'")).hasSize(1);
            assertThat(probeRows()).isEqualTo(2);

            CliRun forced = uninstall("--force");
            assertThat(forced.code()).as(forced.err() + forced.out()).isZero();
            assertThat(forced.out()).contains("removed: replication slot " + NAME);
            assertNothingLeft();
        } catch (SQLException closingATerminatedStream) {
            // The forced uninstall terminated the walsender under the stream: closing it may fail, as it should.
            assertNothingLeft();
        }
    }

    private static void assertNothingLeft() throws SQLException {
        assertThat(query("SELECT slot_name FROM pg_replication_slots WHERE slot_name = '" + NAME + "'")).isEmpty();
        assertThat(query("SELECT pubname FROM pg_publication WHERE pubname = '" + NAME + "'")).isEmpty();
        assertThat(query("SELECT evtname FROM pg_event_trigger WHERE evtname LIKE 'deltawatch%'")).isEmpty();
        assertThat(query("SELECT nspname FROM pg_namespace WHERE nspname IN ('deltawatch', 'deltawatch_probe')"))
                .isEmpty();
        assertThat(probeRows()).isZero();
        assertThat(query("SELECT id FROM organizations WHERE id = '__deltawatch_probe__'")).isEmpty();
    }

    private static long probeRows() throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM pfa_records WHERE organization_id = '__deltawatch_probe__'")
                .get(0));
    }


    static List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            boolean rows = s.execute(sql);
            while (true) {
                if (rows) {
                    try (ResultSet rs = s.getResultSet()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                } else if (s.getUpdateCount() == -1) {
                    break;
                }
                rows = s.getMoreResults();
            }
        }
        return out;
    }
}
