package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.describe;
import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TableFlawsCheckIT {
    private static HikariDataSource ds;
    private static List<CheckResult> results;

    @BeforeAll
    static void breakTheTable() throws Exception {
        ds = TestInfrastructure.referenceTarget("hygiene_table");
        HygieneFixtures.seed(ds, 12_000);
        HygieneFixtures.applyFault(ds, "05_no_primary_key.sql");
        HygieneFixtures.applyFault(ds, "06_reference_without_fk.sql");
        // A workload filtering on an unindexed mirror field: every read is a sequential scan.
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                s.execute("SELECT count(*) FROM pfa_records WHERE mirror_json ->> 'cost' = '" + i + "'");
            }
            s.execute("SELECT pg_stat_force_next_flush()");
        }
        results = HygieneFixtures.run(new TableFlawsCheck(HygieneSettings.defaults()),
                TestInfrastructure.referenceContext(ds));
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void watchedTableWithoutPrimaryKeyIsHigh() {
        assertThat(findings(results, TableFlawsCheck.NO_PRIMARY_KEY)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.subject().name()).isEqualTo("public.pfa_records");
            assertThat(f.fix()).contains("PRIMARY KEY USING INDEX");
        });
    }

    @Test
    void tableOverTenThousandRowsReadBySequentialScansIsMedium() {
        List<Finding> seq = findings(results, TableFlawsCheck.SEQ_SCAN_SHARE);
        assertThat(seq).as(describe(seq)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.evidence().get(0).content()).contains("seq_scan = ").containsPattern("n_live_tup = [1-9][0-9]{4}");
        });
    }

    @Test
    void referenceLikeColumnWithoutForeignKeyIsALowHint() {
        assertThat(findings(results, TableFlawsCheck.REFERENCE_WITHOUT_FK)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.LOW);
            assertThat(f.subject().name()).isEqualTo("public.pfa_records.category_id");
            assertThat(f.fix()).contains("REFERENCES public.categories NOT VALID");
        });
    }
}
