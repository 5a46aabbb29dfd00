package dev.deltawatch.worker.check.lock;

import static dev.deltawatch.worker.check.lock.LockTestSupport.fastSettings;
import static dev.deltawatch.worker.check.lock.LockTestSupport.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LockSettingsCheckIT {
    private static HikariDataSource ds;
    private static CheckContext context;
    private static String database;

    @BeforeAll
    static void install() throws Exception {
        ds = TestInfrastructure.referenceTarget("lock_settings");
        context = TestInfrastructure.referenceContext(ds);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT current_database()");
            rs.next();
            database = rs.getString(1);
            s.execute("DROP ROLE IF EXISTS pfa_app_unbounded");
            s.execute("DROP ROLE IF EXISTS pfa_app_bounded");
            s.execute("CREATE ROLE pfa_app_unbounded");
            s.execute("CREATE ROLE pfa_app_bounded");
            s.execute("ALTER ROLE pfa_app_bounded IN DATABASE " + database + " SET lock_timeout = '5s'");
            s.execute("ALTER ROLE pfa_app_bounded SET statement_timeout = '30s'");
            s.execute("ALTER ROLE pfa_app_bounded SET idle_in_transaction_session_timeout = '1min'");
            s.execute("ALTER ROLE pfa_app_unbounded SET default_transaction_isolation = 'read uncommitted'");
        }
    }

    @AfterAll
    static void close() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP ROLE pfa_app_unbounded");
            s.execute("ALTER ROLE pfa_app_bounded IN DATABASE " + database + " RESET ALL");
            s.execute("DROP ROLE pfa_app_bounded");
        }
        LockTestSupport.assertNothingLeftBehind(ds);
        ds.close();
    }

    @Test
    void unboundedTimeoutsOfTheApplicationRoleAreMediumFindings() throws Exception {
        List<Finding> found = findings(new LockSettingsCheck(fastSettings().withApplicationRole("pfa_app_unbounded"))
                .run(context, CheckScope.all()));
        assertThat(found).extracting(f -> f.subject().name()).containsExactlyInAnyOrder(
                "pfa_app_unbounded/lock_timeout", "pfa_app_unbounded/statement_timeout",
                "pfa_app_unbounded/idle_in_transaction_session_timeout",
                "pfa_app_unbounded/default_transaction_isolation");
        assertThat(found).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.MEDIUM));
        assertThat(found.get(0).fix().toLowerCase(Locale.ROOT)).startsWith("alter role pfa_app_unbounded set");
    }

    @Test
    void boundedRoleSettingsPass() throws Exception {
        assertThat(findings(new LockSettingsCheck(fastSettings().withApplicationRole("pfa_app_bounded"))
                .run(context, CheckScope.all()))).isEmpty();
    }
}
