package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StaleGeneratedValuesCheckIT {
    private static HikariDataSource ds;
    private static CheckContext context;
    private final StaleGeneratedValuesCheck check = new StaleGeneratedValuesCheck(HygieneSettings.defaults());

    @BeforeAll
    static void seed() throws Exception {
        ds = TestInfrastructure.referenceTarget("hygiene_stale");
        HygieneFixtures.seed(ds, 3_000);
        context = TestInfrastructure.referenceContext(ds);
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void redefinedMergeFunctionLeavesStaleValuesThatTheProposedBackfillRepairs() throws Exception {
        assertThat(check.run(context, CheckScope.all())).noneMatch(CheckResult::failed);

        HygieneFixtures.applyFault(ds, "10_merge_function_redefined.sql");
        List<CheckResult> results = check.run(context, CheckScope.all());
        List<Finding> stale = findings(results, StaleGeneratedValuesCheck.RULE);
        assertThat(stale).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.subject().name()).isEqualTo("public.pfa_records.merged_category");
            // Half the seeded rows carry a delta category ("Trucks") the new mirror-wins merge no longer returns.
            assertThat(f.title()).contains("500 of 1000 sampled rows");
            assertThat(f.fix()).contains("SET \"delta_json\" = t.\"delta_json\"");
        });

        // A RECORDS scope (the records a delta change touched) compares exactly those: 2 and 4 carry a delta.
        assertThat(findings(check.run(context, CheckScope.records(List.of("2", "4", "5"))),
                StaleGeneratedValuesCheck.RULE)).singleElement()
                .satisfies(f -> assertThat(f.title()).contains("2 of 3 sampled rows"));

        runBackfillUntilDone(stale.get(0).fix());
        assertThat(check.run(context, CheckScope.all())).noneMatch(CheckResult::failed);
    }

    @Test
    void recordsScopeComparesExactlyTheNamedRecords() throws Exception {
        List<CheckResult> results = check.run(context, CheckScope.records(List.of("1", "2", "3")));
        assertThat(results).extracting(CheckResult::rule).containsOnly(StaleGeneratedValuesCheck.RULE);
        assertThat(results).hasSize(2);
    }

    /** Runs the fix's first statement (the batched backfill) until it updates nothing, as the fix tells a DBRE to. */
    private static void runBackfillUntilDone(String fix) throws Exception {
        String backfill = SqlText.statements(fix).get(0);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            int rounds = 0;
            while (s.executeUpdate(backfill) > 0) {
                assertThat(++rounds).as("backfill terminates").isLessThan(100);
            }
        }
    }
}
