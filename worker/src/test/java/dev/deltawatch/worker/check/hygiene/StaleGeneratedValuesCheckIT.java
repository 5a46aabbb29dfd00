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
import java.sql.ResultSet;
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
    void valuesWrittenWhileABrokenMergeWasDeployedAreStaleOnceItIsRolledBackAndTheBackfillRepairsThem()
            throws Exception {
        CheckScope everyRow = CheckScope.sample(3_000);
        assertThat(check.run(context, everyRow)).noneMatch(CheckResult::failed);
        String correct = functionDefinition();

        // A "simplified" mirror-wins merge is deployed. The stored values (the old function's) are the contract's:
        // not stale, although the function now gives the mirror's category for every record with a delta one.
        HygieneFixtures.applyFault(ds, "10_merge_function_redefined.sql");
        assertThat(check.run(context, everyRow)).noneMatch(CheckResult::failed);

        // Edits saved while it is deployed store its values (the mirror's category) ...
        execute("UPDATE pfa_records SET delta_json = delta_json, version = version + 1 WHERE id % 4 = 0");
        List<Finding> whileBroken = findings(check.run(context, everyRow), StaleGeneratedValuesCheck.RULE);
        assertThat(whileBroken).singleElement().satisfies(f -> {
            assertThat(f.subject().name()).isEqualTo("public.pfa_records.merged_category");
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.fix()).contains("Fix pfa_merge").doesNotContain("SET \"delta_json\"");
            assertThat(f.evidence()).anyMatch(e -> e.label().equals("follows from") && !e.content().isBlank());
        });

        // ... and after the rollback of the bad deploy those 750 rows are stale: the backfill repairs them.
        execute(correct);
        List<CheckResult> results = check.run(context, everyRow);
        List<Finding> stale = findings(results, StaleGeneratedValuesCheck.RULE);
        assertThat(stale).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.subject().name()).isEqualTo("public.pfa_records.merged_category");
            assertThat(f.title()).contains("750 of 3000 sampled rows");
            assertThat(f.fix()).contains("SET \"delta_json\" = t.\"delta_json\"");
        });

        // A RECORDS scope (the records a delta change touched) compares exactly those: 4 and 8 were rewritten.
        assertThat(findings(check.run(context, CheckScope.records(List.of("2", "4", "5", "8"))),
                StaleGeneratedValuesCheck.RULE)).singleElement()
                .satisfies(f -> assertThat(f.title()).contains("2 of 4 sampled rows"));

        runBackfillUntilDone(stale.get(0).fix());
        assertThat(check.run(context, everyRow)).noneMatch(CheckResult::failed);
    }

    private static String functionDefinition() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_get_functiondef('pfa_merge(jsonb,jsonb)'::regprocedure)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
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
