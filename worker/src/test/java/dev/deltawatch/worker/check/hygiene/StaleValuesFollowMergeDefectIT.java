package dev.deltawatch.worker.check.hygiene;

import static dev.deltawatch.worker.check.hygiene.HygieneFixtures.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.merge.DifferentialMergeCheck;
import dev.deltawatch.worker.check.merge.GeneratedColumnDriftCheck;
import dev.deltawatch.worker.check.merge.JsonDiff;
import dev.deltawatch.worker.check.merge.MergeDefect;
import dev.deltawatch.worker.check.merge.MergeVerdicts;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.FaultCatalog;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The harmful fix of issue 19: with the merge function returning SQL NULL for a NULL delta (faults/merge/05), the
 * stored values of records without edits are the contract's, although the function now gives NULL. They are not
 * stale, and nothing may propose to recompute them through the broken function (that backfill would have written
 * NULL categories into half the table). Rows the broken function did write follow from the merge defect: their
 * findings link the merge finding's fingerprint and point the fix at the function.
 */
class StaleValuesFollowMergeDefectIT {
    /** SQL in a fix that writes through the generated expression: an UPDATE … SET, an assignment, a column rewrite. */
    private static final Pattern WRITES = Pattern.compile(
            "(?i)\\bUPDATE\\s+[\\w.\"]+(\\s+\\w+)?\\s+SET\\b|\\bSET\\s+\"?\\w+\"?\\s*=|SET EXPRESSION");
    private static final int ROWS = 3_000;

    private final StaleGeneratedValuesCheck stale = new StaleGeneratedValuesCheck(HygieneSettings.defaults());

    @Test
    void correctStoredValuesUnderABrokenMergeAreNotStaleAndWhatTheBrokenMergeWroteLinksItsFinding() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("stale_null_delta")) {
            HygieneFixtures.seed(ds, ROWS); // odd ids: no delta (SQL NULL); even ids: a delta category
            CheckContext context = TestInfrastructure.referenceContext(ds);
            CheckScope everyRow = CheckScope.sample(ROWS);
            assertThat(stale.run(context, everyRow)).isNotEmpty().noneMatch(CheckResult::failed);

            HygieneFixtures.applyFault(ds, "merge", "05_null_delta_yields_null.sql");
            // 1500 records now merge to NULL, but every stored value is still the contract's: not stale, no backfill.
            assertThat(stale.run(context, everyRow)).isNotEmpty().noneMatch(CheckResult::failed);
            assertThat(new GeneratedColumnDriftCheck().run(context, CheckScope.records(List.of("1", "2", "3"))))
                    .isNotEmpty().noneMatch(CheckResult::failed);
            // The merge family does report the defect, at the root: the object became SQL NULL.
            List<Finding> merge = failures(new DifferentialMergeCheck().run(context,
                    CheckScope.records(List.of("1", "2", "3"))));
            assertThat(merge).isNotEmpty().allSatisfy(f -> {
                assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
                assertThat(evidence(f, "first differing JSON paths")).startsWith("$: expected {").contains("actual SQL NULL");
            });
            String defect = nullRootDefect(context);
            assertThat(WRITES.matcher("UPDATE \"public\".\"pfa_records\" t SET \"delta_json\" = t.\"delta_json\"").find())
                    .as("the pattern recognises the backfill").isTrue();

            // Users discard their edits on a quarter of the records: those rows are recomputed through the broken
            // function and now store NULL where the contract gives the mirror's values.
            execute(ds, "UPDATE pfa_records SET delta_json = NULL, version = version + 1 WHERE id % 4 = 0");
            List<Finding> follows = findings(stale.run(context, everyRow), StaleGeneratedValuesCheck.RULE);
            assertThat(follows).extracting(f -> f.subject().name()).containsExactlyInAnyOrder(
                    "public.pfa_records.merged_category", "public.pfa_records.merged_forecast_start");
            assertThat(follows).allSatisfy(f -> {
                assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                assertThat(f.title()).contains("follow from the merge defect").contains("750 of 3000 sampled rows");
                assertThat(evidence(f, MergeVerdicts.FOLLOWS_FROM)).isEqualTo(defect);
                assertThat(f.problem()).contains(defect);
                assertThat(f.fix()).contains("Fix pfa_merge").contains(defect);
                assertThat(WRITES.matcher(f.fix()).find()).as("a write in the fix: %s", f.fix()).isFalse();
                assertThat(evidence(f, "examples")).contains("stored NULL, the contract gives '");
            });

            // The generated-column check: 4 and 8 were rewritten (both columns drift), 1 and 2 were not.
            List<Finding> drift = failures(new GeneratedColumnDriftCheck().run(context,
                    CheckScope.records(List.of("1", "2", "4", "8"))));
            assertThat(drift).hasSize(4).allSatisfy(f -> {
                assertThat(f.subject().name()).matches("public\\.pfa_records/[48]#merged_.*");
                assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                assertThat(evidence(f, MergeVerdicts.FOLLOWS_FROM)).isEqualTo(defect);
                assertThat(f.problem()).contains("follows from the merge defect " + defect);
                assertThat(f.fix()).startsWith("Fix pfa_merge");
                assertThat(WRITES.matcher(f.fix()).find()).as("a write in the fix: %s", f.fix()).isFalse();
            });
            // Once the merge family reports one finding per defect, its fingerprint is the one linked.
            assertThat(failures(new DifferentialMergeCheck().run(context, CheckScope.records(List.of("4")))))
                    .filteredOn(f -> f.subject().kind().equals(MergeDefect.SUBJECT_KIND))
                    .allSatisfy(f -> assertThat(f.fingerprint()).isEqualTo(defect));
        }
    }

    /**
     * The delta-table layouts (per-owner drafts merged by {@code ||}; overrides merged by a function): their generated
     * columns are computed from the mirror, so nothing is stale on the clean target, nor under their catalog's first
     * merge fault (a broken merge, or a column expression reading the wrong path: merge.generated-column's finding,
     * which a recompute cannot repair, so no backfill is proposed for it).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"drafts", "overrides"})
    void deltaTableLayoutsHaveNoStaleValuesCleanOrUnderAMergeFault(String name) throws Exception {
        ExampleTarget target = ExampleTargets.named(name);
        PostgresAddress db = TestInfrastructure.freshDatabase(name + "_stale");
        try (HikariDataSource ds = Database.pool(db, "install", 2)) {
            target.install(ds);
        }
        target.seeder().seed(db, SeedOptions.of(600, 42, true), null, false);
        try (HikariDataSource ds = Database.pool(db, "test", 4)) {
            CheckContext context;
            try (Connection c = ds.getConnection()) {
                context = new CheckContext(TargetCatalog.resolve(c, target.config()), ds, Clock.systemUTC(), null,
                        null, null);
            }
            CheckScope everyRow = CheckScope.sample(5_000);
            assertThat(stale.run(context, everyRow)).isNotEmpty().noneMatch(CheckResult::failed);

            FaultCatalog.Fault fault = target.faults().faults().stream().filter(f -> f.family().equals("merge"))
                    .findFirst().orElseThrow();
            execute(ds, fault.sql());
            assertThat(stale.run(context, everyRow)).as(fault.resource()).isNotEmpty()
                    .noneMatch(CheckResult::failed);
            List<Finding> merge = failures(new DifferentialMergeCheck().run(context, CheckScope.sample(200)));
            List<Finding> drift = failures(new GeneratedColumnDriftCheck().run(context, CheckScope.sample(200)));
            assertThat(merge.size() + drift.size()).as("%s is detected by the merge family", fault.resource())
                    .isPositive();
        }
    }

    /** The fingerprint of the merge finding for "an object merged to SQL NULL" on this target's documents. */
    private static String nullRootDefect(CheckContext context) {
        var object = JsonNodeFactory.instance.objectNode().put("category", "Cranes");
        String fingerprint = MergeDefect.fingerprint(context.targetName(), DifferentialMergeCheck.RULE,
                "public.pfa_records", JsonDiff.diff(object, null, 5));
        assertThat(MergeDefect.signature(JsonDiff.diff(object, null, 5))).isEqualTo("$: object → SQL NULL");
        return fingerprint;
    }

    static List<Finding> failures(List<CheckResult> results) {
        return results.stream().filter(CheckResult::failed).map(CheckResult::finding).toList();
    }

    static String evidence(Finding f, String label) {
        return f.evidence().stream().filter(e -> e.label().equals(label)).map(Evidence::content).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence '" + label + "' in " + f.title() + ": "
                        + f.evidence().stream().map(Evidence::label).toList()));
    }

    static void execute(HikariDataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
