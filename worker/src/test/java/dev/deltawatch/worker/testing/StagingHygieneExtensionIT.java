package dev.deltawatch.worker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The extension sees what it promises to see, and says where it is; each case cleans up before the test ends. */
class StagingHygieneExtensionIT {

    @Test
    void probeRowsProbeTablesAndADeltawatchSessionIdleInTransactionAreListed() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("staging_hygiene")) {
            PostgresAddress db = new PostgresAddress(ds.getJdbcUrl(), "postgres", "");
            assertThat(StagingHygieneExtension.leftovers(List.of(db), true)).isEmpty();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO organizations (id, name) VALUES ('__deltawatch_probe__', 'probe') "
                        + "ON CONFLICT DO NOTHING; INSERT INTO pfa_records (organization_id, mirror_json) "
                        + "VALUES ('__deltawatch_probe__', '{}'); CREATE SCHEMA deltawatch_probe; "
                        + "CREATE TABLE deltawatch_probe.hermitage_left (id int)");
            }
            try (HikariDataSource worker = Database.pool(db, "probe-leak", 1);
                 Connection open = worker.getConnection()) {
                open.setAutoCommit(false);
                try (Statement s = open.createStatement()) {
                    s.execute("SELECT id FROM pfa_records FOR UPDATE");
                }
                List<String> left = StagingHygieneExtension.leftovers(List.of(db), true);
                assertThat(left).anySatisfy(l -> assertThat(l).contains("1 probe row(s)").contains("pfa_records"))
                        .anySatisfy(l -> assertThat(l).contains("probe table deltawatch_probe.hermitage_left"))
                        .anySatisfy(l -> assertThat(l).contains("(deltawatch-probe-leak)")
                                .contains("idle in transaction"))
                        .anySatisfy(l -> assertThat(l).contains("deltawatch-probe-leak").contains("RowShareLock"));
                open.rollback();
            }
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM pfa_records WHERE organization_id = '__deltawatch_probe__'; "
                        + "DELETE FROM organizations WHERE id = '__deltawatch_probe__'; "
                        + "DROP SCHEMA deltawatch_probe CASCADE");
            }
            assertThat(StagingHygieneExtension.leftovers(List.of(db), true)).isEmpty();
        }
    }
}
