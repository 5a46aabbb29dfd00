package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the watch reads from pg_db_role_setting: planner settings of this database and of its own role only. */
class PlannerSettingsWatchIT {

    @Test
    void readsPlannerSettingsOfTheDatabaseAndItsOwnRoleAndNothingElse() throws Exception {
        PostgresAddress pg = TestInfrastructure.freshDatabase("settings_watch");
        String role = "dw_other_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100_000;
        try (Connection c = pg.connect("test"); Statement s = c.createStatement()) {
            String db = one(s, "SELECT quote_ident(current_database())");
            String me = one(s, "SELECT quote_ident(current_user)");
            assertThat(PlannerSettingsWatch.read(c)).isEmpty();
            s.execute("ALTER DATABASE " + db + " SET enable_indexscan = off");
            s.execute("ALTER DATABASE " + db + " SET statement_timeout = '5s'"); // not a planner setting
            s.execute("ALTER ROLE " + me + " IN DATABASE " + db + " SET work_mem = '1MB'");
            s.execute("CREATE ROLE " + role);
            s.execute("ALTER ROLE " + role + " IN DATABASE " + db + " SET enable_seqscan = off"); // not our role
            try {
                assertThat(PlannerSettingsWatch.read(c)).isEqualTo(Map.of(
                        new PlannerSettingsWatch.Scope("ALTER DATABASE", db), Map.of("enable_indexscan", "off"),
                        new PlannerSettingsWatch.Scope("ALTER ROLE", me + " IN DATABASE " + db),
                        Map.of("work_mem", "1MB")));
            } finally {
                s.execute("DROP ROLE " + role);
            }
        }
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
