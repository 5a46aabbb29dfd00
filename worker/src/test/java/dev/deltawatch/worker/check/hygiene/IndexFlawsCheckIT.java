package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.describe;
import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IndexFlawsCheckIT {
    private static HikariDataSource faulty;
    private static HikariDataSource replaced;
    private static List<CheckResult> results;
    private static List<CheckResult> replacedResults;

    @BeforeAll
    static void breakTheIndexes() throws Exception {
        faulty = TestInfrastructure.referenceTarget("hygiene_index");
        HygieneFixtures.seed(faulty, 5_000);
        for (String fault : List.of("01_duplicate_index.sql", "02_invalid_index.sql", "03_unindexed_foreign_key.sql",
                "04_unused_index.sql")) {
            HygieneFixtures.applyFault(faulty, fault);
        }
        IndexFlawsCheck check = new IndexFlawsCheck(HygieneSettings.defaults().withUnusedIndexMinBytes(64 * 1024));
        results = HygieneFixtures.run(check, TestInfrastructure.referenceContext(faulty));

        replaced = TestInfrastructure.referenceTarget("hygiene_index_replaced");
        HygieneFixtures.applyFault(replaced, "12_fk_index_replaced.sql");
        replacedResults = HygieneFixtures.run(new IndexFlawsCheck(HygieneSettings.defaults()),
                TestInfrastructure.referenceContext(replaced));
    }

    @AfterAll
    static void close() {
        faulty.close();
        replaced.close();
    }

    @Test
    void reportsTheSecondIdenticalIndexAsDuplicate() {
        List<Finding> dup = findings(results, IndexFlawsCheck.DUPLICATE);
        assertThat(dup).as(describe(dup)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.subject().name()).isEqualTo("public.idx_pfa_org_category_v2");
            assertThat(f.fix()).isEqualTo("DROP INDEX CONCURRENTLY public.idx_pfa_org_category_v2;");
        });
    }

    @Test
    void reportsTheIndexAFailedConcurrentBuildLeftInvalid() {
        assertThat(findings(results, IndexFlawsCheck.INVALID)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.subject().name()).isEqualTo("public.idx_pfa_external_ref");
            assertThat(f.fix()).contains("REINDEX INDEX CONCURRENTLY public.idx_pfa_external_ref");
        });
    }

    @Test
    void reportsAForeignKeyIntoTheWatchedTableWithoutAnIndex() {
        assertThat(findings(results, IndexFlawsCheck.FK_UNINDEXED)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.subject().name()).isEqualTo("public.pfa_attachments.pfa_attachments_record_id_fkey");
            assertThat(f.fix()).isEqualTo("CREATE INDEX CONCURRENTLY ON public.pfa_attachments (record_id);");
        });
    }

    @Test
    void organizationKeyLosesItsIndexWhenTheCompositeIndexIsReplaced() {
        assertThat(findings(replacedResults, IndexFlawsCheck.FK_UNINDEXED)).singleElement()
                .satisfies(f -> assertThat(f.subject().name()).isEqualTo("public.pfa_records.pfa_records_organization_id_fkey"));
    }

    @Test
    void reportsAnIndexAboveTheSizeThatWasNeverScanned() {
        List<Finding> unused = findings(results, IndexFlawsCheck.UNUSED);
        assertThat(unused).as(describe(unused)).anySatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.LOW);
            assertThat(f.subject().name()).isEqualTo("public.idx_pfa_mirror_cost");
        });
        assertThat(unused).noneSatisfy(f -> assertThat(f.subject().name()).isEqualTo("public.pfa_records_pkey"));
    }
}
