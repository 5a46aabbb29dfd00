package dev.deltawatch.worker.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CheckRunnerIT {
    private static HikariDataSource ds;
    private static CheckContext context;

    @BeforeAll
    static void install() throws SQLException {
        ds = TestInfrastructure.referenceTarget("check_runner");
        CheckContext base = TestInfrastructure.referenceContext(ds);
        context = new CheckContext(base.target(), ds, Clock.systemUTC(), null, Duration.ofMillis(300), null);
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    /** A check that runs one SQL statement and fails when it returns false. */
    record SqlCheck(String sql, boolean readOnly) implements Check {
        @Override
        public String name() {
            return "test.sql";
        }

        @Override
        public String family() {
            return "hygiene";
        }

        @Override
        public List<CheckResult> run(CheckContext ctx, CheckScope scope) throws SQLException {
            Subject subject = new Subject("statement", "test");
            try (Connection c = ctx.connect(readOnly); Statement s = c.createStatement();
                 var rs = s.executeQuery(sql)) {
                rs.next();
                return List.of(rs.getBoolean(1) ? CheckResult.pass("truth", subject)
                        : CheckResult.fail(ctx.finding(this, "truth", Severity.LOW, subject).title("false").build()));
            }
        }
    }

    @Test
    void statementsRunUnderTheContextsStatementTimeout() {
        CheckExecution e = new CheckRunner(Clock.systemUTC()).run(new SqlCheck("SELECT pg_sleep(5) IS NULL", true),
                context, CheckScope.all());
        assertThat(e.run().outcome()).isEqualTo(CheckRun.Outcome.ERROR);
        assertThat(e.run().error()).startsWith("SQLSTATE 57014").doesNotContain("\n").doesNotContain("at org.");
        assertThat(e.results()).isEmpty();
    }

    @Test
    void readOnlyConnectionsRefuseWrites() {
        CheckExecution e = new CheckRunner(Clock.systemUTC()).run(new SqlCheck(
                "WITH d AS (DELETE FROM organizations RETURNING 1) SELECT count(*) = 0 FROM d", true),
                context, CheckScope.all());
        assertThat(e.run().outcome()).isEqualTo(CheckRun.Outcome.ERROR);
        assertThat(e.run().error()).startsWith("SQLSTATE 25006");
    }

    @Test
    void failingResultMakesAFailedRunWithItsFinding() {
        CheckExecution e = new CheckRunner(Clock.systemUTC()).run(new SqlCheck("SELECT false", true), context,
                CheckScope.all());
        assertThat(e.run().outcome()).isEqualTo(CheckRun.Outcome.FAILED);
        assertThat(e.run().findingCount()).isEqualTo(1);
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.target()).isEqualTo("pfa-reference");
            assertThat(f.family()).isEqualTo("hygiene");
        });
    }

    @Test
    void passingResultMakesAPassedRun() {
        CheckExecution e = new CheckRunner(Clock.systemUTC()).run(new SqlCheck("SELECT true", true), context,
                CheckScope.all());
        assertThat(e.run().outcome()).isEqualTo(CheckRun.Outcome.PASSED);
        assertThat(e.results()).singleElement().satisfies(r -> assertThat(r.failed()).isFalse());
    }

    @Test
    void timeoutsDoNotLeakIntoThePool() throws SQLException {
        new CheckRunner(Clock.systemUTC()).run(new SqlCheck("SELECT true", true), context, CheckScope.all());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SHOW statement_timeout")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("0");
        }
    }
}
