package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.describe;
import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
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
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
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

    @Test
    void aTableARegisteredQueryReadsIsCheckedLikeTheLayoutsTables() throws Exception {
        try (HikariDataSource db = TestInfrastructure.referenceTarget("hygiene_queried")) {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE org_notes (org_id text, note text)");
            }
            TargetConfig base = ReferenceTarget.config();
            List<TargetConfig.RegisteredQuery> queries = new ArrayList<>(base.queries());
            queries.add(new TargetConfig.RegisteredQuery("org-notes", "SELECT note FROM org_notes WHERE org_id = $1",
                    List.of(List.<Object>of("HOLNG")), 10, TargetConfig.RegisteredQuery.Kind.READ));
            TargetConfig withQuery = new TargetConfig(2, base.name(), base.schema(), base.documents(), base.merge(),
                    base.write(), queries, base.probes());
            assertThat(noPrimaryKey(db, withQuery)).extracting(f -> f.subject().name()).containsExactly("public.org_notes");
            assertThat(noPrimaryKey(db, base)).as("not read by any registered query: not watched").isEmpty();
        }
    }

    private static List<Finding> noPrimaryKey(HikariDataSource db, TargetConfig config) throws Exception {
        ResolvedTarget resolved;
        try (Connection c = db.getConnection()) {
            resolved = TargetCatalog.resolve(c, config);
        }
        CheckContext context = new CheckContext(resolved, db, Clock.systemUTC(), null, null, null);
        return findings(HygieneFixtures.run(new TableFlawsCheck(HygieneSettings.defaults()), context),
                TableFlawsCheck.NO_PRIMARY_KEY);
    }
}
