package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.describe;
import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UnboundedResultsCheckIT {
    private static final String UNBOUNDED_SQL = "SELECT id, merged_category FROM pfa_records "
            + "WHERE merged_forecast_start >= $1::date AND organization_id <> $2";
    private static HikariDataSource ds;
    private static List<CheckResult> results;

    @BeforeAll
    static void runAnUnboundedWorkload() throws Exception {
        ds = TestInfrastructure.referenceTarget("hygiene_unbounded");
        HygieneFixtures.seed(ds, 50_000);
        // The application runs it twice: pg_stat_statements sees 50K rows per call.
        for (int i = 0; i < 2; i++) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT id, merged_category FROM pfa_records WHERE merged_forecast_start >= ?::date "
                            + "AND organization_id <> ?")) {
                ps.setString(1, "2000-01-01");
                ps.setString(2, "NONE");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(1);
                    }
                }
            }
        }
        TargetConfig base = ReferenceTarget.config();
        List<TargetConfig.RegisteredQuery> queries = new ArrayList<>(base.queries());
        queries.add(new TargetConfig.RegisteredQuery("records-since", UNBOUNDED_SQL,
                List.of(List.of("2000-01-01", "NONE")), 100, TargetConfig.RegisteredQuery.Kind.READ));
        TargetConfig config = new TargetConfig(2, base.name(), base.schema(), base.documents(), base.merge(),
                base.write(), queries, base.probes());
        ResolvedTarget resolved;
        try (Connection c = ds.getConnection()) {
            resolved = TargetCatalog.resolve(c, config);
        }
        CheckContext context = new CheckContext(resolved, ds, Clock.systemUTC(), null, null, null);
        results = new UnboundedResultsCheck(HygieneSettings.defaults().withCreatePgStatStatements(true))
                .run(context, CheckScope.all());
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void registeredQueryWithoutLimitOverFiftyThousandRowsIsMedium() {
        List<Finding> unbounded = findings(results, UnboundedResultsCheck.QUERY_RULE);
        assertThat(unbounded).as(describe(unbounded)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.subject().name()).isEqualTo("records-since");
            assertThat(f.evidence().get(0).content()).contains("actual rows: 50000");
        });
        assertThat(results).filteredOn(r -> r.rule().equals(UnboundedResultsCheck.QUERY_RULE))
                .extracting(r -> r.subject().name())
                .contains("records-by-org-category", "record-by-id", "records-by-forecast-window");
    }

    @Test
    void statementReturningFiftyThousandRowsPerCallIsMedium() {
        List<Finding> heavy = findings(results, StatementStats.RULE);
        assertThat(heavy).as(describe(heavy)).anySatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.evidence().get(0).content()).contains("rows per call = 50000");
            assertThat(f.evidence().get(1).content()).contains("merged_forecast_start >= $1::date");
        });
        assertThat(findings(results, StatementStats.UNAVAILABLE)).isEmpty();
    }
}
