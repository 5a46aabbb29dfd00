package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratedPredicateIndexCheckIT {
    private static HikariDataSource ds;
    private static List<CheckResult> results;

    @BeforeAll
    static void dropTheForecastIndex() throws Exception {
        ds = TestInfrastructure.referenceTarget("hygiene_predicate");
        HygieneFixtures.applyFault(ds, "11_forecast_index_dropped.sql");
        results = HygieneFixtures.run(new GeneratedPredicateIndexCheck(), TestInfrastructure.referenceContext(ds));
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void forecastWindowQueryFilteringOnAnUnindexedGeneratedColumnIsHigh() {
        // Two registered queries filter on merged_forecast_start; each is its own finding.
        assertThat(findings(results, GeneratedPredicateIndexCheck.RULE)).extracting(f -> f.subject().name())
                .containsExactlyInAnyOrder("records-by-forecast-window/merged_forecast_start",
                        "mobilizations-on-day/merged_forecast_start");
        assertThat(findings(results, GeneratedPredicateIndexCheck.RULE)).filteredOn(f -> f.subject().name()
                .startsWith("records-by-forecast-window")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.subject().name()).isEqualTo("records-by-forecast-window/merged_forecast_start");
            assertThat(f.fix()).startsWith("CREATE INDEX CONCURRENTLY ON \"public\".\"pfa_records\" "
                    + "(merged_forecast_start);");
        });
    }

    @Test
    void compositeIndexLedByAnotherPredicateColumnServesTheCategory() {
        assertThat(results).filteredOn(r -> r.subject().name().equals("records-by-org-category/merged_category"))
                .singleElement().satisfies(r -> assertThat(r.failed()).isFalse());
    }
}
