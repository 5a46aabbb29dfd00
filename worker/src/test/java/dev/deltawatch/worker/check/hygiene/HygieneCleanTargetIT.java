package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.atLeastMedium;
import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.describe;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The clean reference target, with data, raises nothing at or above MEDIUM from any hygiene check. */
class HygieneCleanTargetIT {
    private static HikariDataSource ds;
    private static List<CheckResult> withoutExtension;

    @BeforeAll
    static void install() throws Exception {
        ds = TestInfrastructure.referenceTarget("hygiene_clean");
        HygieneFixtures.seed(ds, 2_000);
        // Before any test may create it: the extension is missing and deltawatch is not allowed to create it.
        withoutExtension = new UnboundedResultsCheck(HygieneSettings.defaults())
                .run(TestInfrastructure.referenceContext(ds), CheckScope.all());
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void cleanReferenceTargetRaisesNothingAtOrAboveMedium() throws Exception {
        CheckContext context = TestInfrastructure.referenceContext(ds);
        List<CheckResult> results = new ArrayList<>();
        for (Check check : HygieneChecks.all(HygieneFixtures.fastSettings().withCreatePgStatStatements(true))) {
            List<CheckResult> own = check.run(context, CheckScope.all());
            assertThat(own).as(check.name() + " examined something").isNotEmpty();
            results.addAll(own);
        }
        assertThat(atLeastMedium(results)).as(describe(atLeastMedium(results))).isEmpty();
        assertThat(results).extracting(CheckResult::rule).contains(TableFlawsCheck.NO_PRIMARY_KEY,
                IndexFlawsCheck.FK_UNINDEXED, FunctionHygieneCheck.SEARCH_PATH, FunctionHygieneCheck.VOLATILITY,
                StaleGeneratedValuesCheck.RULE, UnboundedResultsCheck.QUERY_RULE, ConnectionPoolingCheck.NO_POOLING,
                GeneratedPredicateIndexCheck.RULE);
    }

    @Test
    void missingPgStatStatementsIsSaidToBeUnavailableNotSilentlyHealthy() {
        assertThat(HygieneFixtures.findings(withoutExtension, StatementStats.UNAVAILABLE)).singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(dev.deltawatch.contracts.Severity.LOW);
                    assertThat(f.problem()).contains("unbounded.create-extension is false");
                });
    }
}
