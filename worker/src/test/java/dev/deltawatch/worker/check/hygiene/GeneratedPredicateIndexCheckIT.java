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
        // Two registered queries filter on merged_forecast_start; each is its own result, and the missing index is
        // one defect, so the feed shows one finding.
        assertThat(findings(results, GeneratedPredicateIndexCheck.RULE)).extracting(f -> f.subject().name())
                .containsExactlyInAnyOrder("records-by-forecast-window/merged_forecast_start",
                        "mobilizations-on-day/merged_forecast_start");
        assertThat(results).filteredOn(r -> r.failed() && r.rule().equals(GeneratedPredicateIndexCheck.RULE))
                .extracting(r -> r.defect().name()).containsOnly("public.pfa_records.merged_forecast_start");
        assertThat(findings(results, GeneratedPredicateIndexCheck.RULE)).filteredOn(f -> f.subject().name()
                .startsWith("records-by-forecast-window")).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.subject().name()).isEqualTo("records-by-forecast-window/merged_forecast_start");
            assertThat(f.fix()).startsWith("CREATE INDEX CONCURRENTLY ON \"public\".\"pfa_records\" "
                    + "(merged_forecast_start);");
        });
    }

    @Test
    void compositeIndexNarrowedToOneOrganizationDoesNotServeTheOthersAndTheFindingCitesTheirPlan() throws Exception {
        try (HikariDataSource narrowed = TestInfrastructure.referenceTarget("hygiene_partial")) {
            HygieneFixtures.seed(narrowed, 2_000);
            HygieneFixtures.applyFault(narrowed, "plan", "06_composite_index_narrowed_to_one_org.sql");
            List<CheckResult> partial = HygieneFixtures.run(new GeneratedPredicateIndexCheck(),
                    TestInfrastructure.referenceContext(narrowed));

            assertThat(findings(partial, GeneratedPredicateIndexCheck.RULE)).as(HygieneFixtures.describe(
                    findings(partial, GeneratedPredicateIndexCheck.RULE)))
                    .filteredOn(f -> f.subject().name().equals("records-by-org-category/merged_category"))
                    .singleElement().satisfies(f -> {
                        assertThat(f.severity()).isEqualTo(Severity.HIGH);
                        // The parameter set the partial index does not cover, not the one it serves.
                        assertThat(f.problem()).contains("idx_pfa_org_category").contains("WHERE");
                        assertThat(evidence(f, "parameters")).contains("RIO").doesNotContain("HOLNG");
                        assertThat(evidence(f, "plan conditions")).contains("'RIO'").doesNotContain("'HOLNG'");
                        assertThat(f.reproductionSql()).contains("'RIO'").doesNotContain("'HOLNG'");
                    });
        }
    }

    @Test
    void indexesOnExpressionsAreNotMistakenForTheGeneratedColumn() throws Exception {
        try (HikariDataSource expression = TestInfrastructure.referenceTarget("hygiene_expression")) {
            HygieneFixtures.seed(expression, 2_000);
            try (java.sql.Connection c = expression.getConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("DROP INDEX idx_pfa_org_category");
                s.execute("CREATE INDEX idx_pfa_mirror_category ON pfa_records ((mirror_json ->> 'category'))");
                s.execute("CREATE INDEX idx_pfa_org_merged_expr ON pfa_records (organization_id, "
                        + "(pfa_merge(mirror_json, delta_json) ->> 'category'))");
            }
            List<CheckResult> after = HygieneFixtures.run(new GeneratedPredicateIndexCheck(),
                    TestInfrastructure.referenceContext(expression));
            // Neither the mirror's category nor the expression serves the column the query names.
            assertThat(findings(after, GeneratedPredicateIndexCheck.RULE)).extracting(f -> f.subject().name())
                    .contains("records-by-org-category/merged_category");
        }
    }

    private static String evidence(dev.deltawatch.contracts.Finding f, String labelPrefix) {
        return f.evidence().stream().filter(e -> e.label().startsWith(labelPrefix))
                .map(dev.deltawatch.contracts.Evidence::content).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence '" + labelPrefix + "' in " + f.evidence()));
    }

    @Test
    void compositeIndexLedByAnotherPredicateColumnServesTheCategory() {
        assertThat(results).filteredOn(r -> r.subject().name().equals("records-by-org-category/merged_category"))
                .singleElement().satisfies(r -> assertThat(r.failed()).isFalse());
    }
}
