package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

class InactiveReplicationSlotCheckIT {
    private static final String SLOT = "dw_inactive_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
    private static HikariDataSource ds;
    private static CheckContext context;

    @BeforeAll
    static void target() throws Exception {
        ds = TestInfrastructure.referenceTarget("hygiene_slot");
        context = TestInfrastructure.referenceContext(ds);
    }

    @AfterAll
    static void close() throws SQLException {
        execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + SLOT
                + "' AND NOT active");
        ds.close();
    }

    private static List<CheckResult> run(Duration threshold) throws Exception {
        return HygieneFixtures.run(new InactiveReplicationSlotCheck(
                HygieneSettings.defaults().withInactiveSlotAfter(threshold)), context);
    }

    @Test
    void aDatabaseWithoutSlotsRaisesNothing() throws Exception {
        execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + SLOT
                + "' AND NOT active");
        List<CheckResult> results = run(Duration.ZERO);
        assertThat(findings(results, InactiveReplicationSlotCheck.RULE)).isEmpty();
        assertThat(results).singleElement().satisfies(r -> assertThat(r.subject().kind()).isEqualTo("database"));
    }

    @Test
    void aSlotInactiveLongerThanTheThresholdIsHighWithItsRetainedWalAndAFix() throws Exception {
        createSlot();
        // Some WAL after the slot's restart_lsn, so retention is measurable.
        execute("CREATE TABLE wal_filler AS SELECT g FROM generate_series(1, 20000) g; DROP TABLE wal_filler");
        Thread.sleep(50);
        List<Finding> found = findings(run(Duration.ofMillis(1)), InactiveReplicationSlotCheck.RULE);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.subject().name()).isEqualTo(SLOT);
            assertThat(f.title()).contains(SLOT).contains("inactive for").contains("of WAL");
            assertThat(f.evidence()).singleElement().satisfies(e -> assertThat(e.content())
                    .contains("slot_name = " + SLOT).contains("plugin = pgoutput").contains("inactive for")
                    .containsPattern("retained WAL = [1-9][0-9]* bytes"));
            assertThat(f.fix()).contains("SELECT pg_drop_replication_slot('" + SLOT + "');")
                    .contains("deltawatch uninstall");
        });
    }

    @Test
    void aSlotInactiveShorterThanTheThresholdIsFine() throws Exception {
        createSlot();
        List<CheckResult> results = run(Duration.ofHours(1));
        assertThat(findings(results, InactiveReplicationSlotCheck.RULE)).isEmpty();
        assertThat(results).anySatisfy(r -> assertThat(r.subject().name()).isEqualTo(SLOT));
    }

    @Test
    void anActiveSlotIsFineWhateverTheThreshold() throws Exception {
        createSlot();
        try (Connection replication = TestInfrastructure.replicationConnection(ds.getJdbcUrl());
             PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                     .replicationStream().logical().withSlotName(SLOT)
                     .withSlotOption("proto_version", 1).withSlotOption("publication_names", "none").start()) {
            assertThat(findings(run(Duration.ZERO), InactiveReplicationSlotCheck.RULE)).isEmpty();
        }
    }

    private static void createSlot() throws SQLException {
        execute("SELECT pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput') "
                + "WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + SLOT + "')");
    }


    private static void execute(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
