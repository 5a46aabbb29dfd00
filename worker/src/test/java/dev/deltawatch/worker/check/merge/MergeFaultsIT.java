package dev.deltawatch.worker.check.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each fault of faults/merge applied on a fresh reference target: the merge checks report the right rule at the
 * right path. The clean target raises nothing across the battery, 10,000 generated cases and every record.
 */
class MergeFaultsIT {
    /** 200 records: a quarter without delta, the rest overriding the category, nulling/arraying/"0", or nesting. */
    static final String SEED_ROWS = """
            INSERT INTO pfa_records (organization_id, mirror_json, delta_json)
            SELECT (ARRAY['HOLNG','RIO','BHP'])[1 + g % 3],
                   jsonb_build_object('category', (ARRAY['Cranes','Trucks','Pumps'])[1 + g % 3],
                                      'forecast', jsonb_build_object('start', '2024-01-' || lpad((1 + g % 28)::text, 2, '0'),
                                                                     'end', '2024-12-31'),
                                      'tags', jsonb_build_array('a', 'b'), 'qty', g % 5, 'notes', 'n' || g),
                   CASE g % 4
                       WHEN 0 THEN NULL
                       WHEN 1 THEN jsonb_build_object('category', 'Excavators',
                                                      'forecast', jsonb_build_object('start', '2025-02-03'))
                       WHEN 2 THEN jsonb_build_object('notes', NULL, 'tags', jsonb_build_array('c'), 'qty', '0')
                       ELSE jsonb_build_object('forecast', jsonb_build_object('end', NULL))
                   END
            FROM generate_series(1, 200) g
            """;

    @Test
    void cleanTargetRaisesNoFindingAcrossBatteryGeneratedCasesAndRecords() throws Exception {
        try (HikariDataSource ds = target("merge_clean", null)) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            List<CheckResult> results = new ArrayList<>();
            results.addAll(new MergeBatteryCheck(10_000, MergeBatteryCheck.DEFAULT_SEED)
                    .run(context, CheckScope.objects(List.of("pfa_merge"))));
            List<CheckResult> chunked = new DifferentialMergeCheck(64).run(context, CheckScope.all());
            results.addAll(chunked);
            List<CheckResult> onOneConnection = new DifferentialMergeCheck(64, 1).run(context, CheckScope.all());
            assertThat(onOneConnection).hasSize(200).noneMatch(CheckResult::failed);
            // Chunks of the key range taken by two connections: every record exactly once, in key order.
            assertThat(chunked).extracting(CheckResult::subject)
                    .containsExactlyElementsOf(onOneConnection.stream().map(CheckResult::subject).toList());
            results.addAll(new GeneratedColumnDriftCheck().run(context, CheckScope.all()));
            results.addAll(new MergeVolatilityCheck().run(context, CheckScope.all()));
            assertThat(results).filteredOn(CheckResult::failed).extracting(r -> r.finding().title()).isEmpty();
            assertThat(results).filteredOn(r -> r.rule().equals(DifferentialMergeCheck.RULE)).hasSize(200);
            assertThat(results).filteredOn(r -> r.rule().equals(GeneratedColumnDriftCheck.RULE)).hasSize(400);
        }
    }

    @Test
    void shallowMergeIsReportedWhereNestedKeysAreLost() throws Exception {
        try (HikariDataSource ds = target("merge_fault1", "01_shallow_merge.sql")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            Finding f = single(battery(context), MergeBatteryCheck.RULE_MISMATCH, "null-at-depth-3");
            assertThat(paths(f)).startsWith("$.a.b.keep");
            assertThat(f.fix()).contains("shallow");
            List<CheckResult> diff = new DifferentialMergeCheck().run(context, CheckScope.all());
            assertThat(failures(diff)).hasSize(100).allSatisfy(x -> assertThat(paths(x)).startsWith("$.forecast."));
        }
    }

    @Test
    void deltaNullTreatedAsDeleteIsReportedAtTheNulledKey() throws Exception {
        try (HikariDataSource ds = target("merge_fault2", "02_delta_null_deletes.sql")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            Finding f = single(battery(context), MergeBatteryCheck.RULE_MISMATCH, "json-null-overrides-present-key");
            assertThat(paths(f)).startsWith("$.name");
            assertThat(f.fix()).contains("the delta's null is dropped at $.name: the function deletes instead of overriding");
            Finding generated = single(battery(context), GeneratedMergeCases.RULE_MISMATCH, "generated");
            // The fixed cases already report the function: the random cases' finding adds shapes, it does not page.
            assertThat(generated.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(evidence(generated, "counterexample delta (shrunk)").length()).isLessThan(40);
            List<CheckResult> diff = new DifferentialMergeCheck().run(context, CheckScope.records(keys(1, 50)));
            assertThat(failures(diff)).extracting(MergeFaultsIT::paths)
                    .anyMatch(p -> p.startsWith("$.notes: expected null, actual (absent)"))
                    .anyMatch(p -> p.startsWith("$.forecast.end: expected null, actual (absent)"));
        }
    }

    @Test
    void appendedArraysAreReportedAtTheArray() throws Exception {
        try (HikariDataSource ds = target("merge_fault3", "03_arrays_appended.sql")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            Finding f = single(battery(context), MergeBatteryCheck.RULE_MISMATCH, "arrays");
            assertThat(paths(f)).startsWith("$.tags");
            assertThat(f.fix()).contains("appends");
            List<CheckResult> diff = new DifferentialMergeCheck().run(context, CheckScope.sample(40));
            assertThat(failures(diff)).isNotEmpty().allSatisfy(x -> assertThat(paths(x)).startsWith("$.tags"));
        }
    }

    @Test
    void stringZeroCoercedToNumberIsReportedAtTheValue() throws Exception {
        try (HikariDataSource ds = target("merge_fault4", "04_string_zero_coerced.sql")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            Finding f = single(battery(context), MergeBatteryCheck.RULE_MISMATCH, "string-zero-over-number");
            assertThat(paths(f)).startsWith("$.qty: expected \"0\", actual 0");
            assertThat(f.fix()).contains("type coercion at $.qty");
        }
    }

    @Test
    void nullDeltaYieldingNullIsReportedAtTheRootAndANullMirrorTheSchemaForbidsIsSkipped() throws Exception {
        try (HikariDataSource ds = target("merge_fault5", "05_null_delta_yields_null.sql")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            List<CheckResult> results = new MergeBatteryCheck().run(context, CheckScope.all());
            Finding f = single(battery(context), MergeBatteryCheck.RULE_MISMATCH, "null-delta");
            assertThat(paths(f)).startsWith("$: expected {\"a\":1,\"b\":{\"c\":2}}, actual SQL NULL");
            // mirror_json is NOT NULL: a NULL mirror cannot occur, so that case is skipped with the reason.
            assertThat(results).filteredOn(r -> r.subject().name().endsWith("#null-mirror")).singleElement()
                    .satisfies(r -> assertThat(r.skipped()).contains("NOT NULL"));
            assertThat(f.fix()).contains("SQL NULL");
        }
    }

    @Test
    void generatedCategoryFromMirrorOnlyIsReportedAsDrift() throws Exception {
        try (HikariDataSource ds = target("merge_fault6", "06_generated_category_from_mirror.sql")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            List<Finding> drift = failures(new GeneratedColumnDriftCheck().run(context, CheckScope.all()));
            assertThat(drift).hasSize(50).allSatisfy(x -> {
                assertThat(x.rule()).isEqualTo(GeneratedColumnDriftCheck.RULE);
                assertThat(x.severity()).isEqualTo(Severity.HIGH);
                assertThat(paths(x)).startsWith("$.category: expected 'Excavators'");
                assertThat(x.fix()).contains("ignores the delta");
            });
            assertThat(failures(new DifferentialMergeCheck().run(context, CheckScope.all()))).isEmpty();
        }
    }

    @Test
    void immutableFunctionReadingATableIsReported() throws Exception {
        try (HikariDataSource ds = target("merge_fault7", "07_immutable_reads_table.sql")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            List<Finding> f = failures(new MergeVolatilityCheck().run(context, CheckScope.all()));
            assertThat(f).singleElement().satisfies(x -> {
                assertThat(x.rule()).isEqualTo(MergeVolatilityCheck.RULE);
                assertThat(x.problem()).contains("categories").contains("parsing prosrc");
            });
        }
    }

    @Test
    void keyAddedOutsideTheDeltasKeysIsFoundByTheDatabaseSideComparison() throws Exception {
        try (HikariDataSource ds = target("merge_extra_key", null)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT pg_get_functiondef('pfa_merge(jsonb,jsonb)'::regprocedure)")) {
                rs.next();
                String def = rs.getString(1).replace("RETURN result;", "RETURN result || '{\"audit\": 1}';");
                s.execute(def);
            }
            CheckContext context = TestInfrastructure.referenceContext(ds);
            List<Finding> diff = failures(new DifferentialMergeCheck().run(context, CheckScope.all()));
            assertThat(diff).hasSize(150).allSatisfy(x -> assertThat(paths(x)).startsWith("$.audit: expected (absent), actual 1"));
        }
    }

    static HikariDataSource target(String name, String fault) throws Exception {
        HikariDataSource ds = TestInfrastructure.referenceTarget(name);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(SEED_ROWS);
            if (fault != null) {
                try (InputStream in = MergeFaultsIT.class.getResourceAsStream("/faults/merge/" + fault)) {
                    s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return ds;
    }

    private static List<CheckResult> battery(CheckContext context) throws Exception {
        return new MergeBatteryCheck().run(context, CheckScope.objects(List.of("pfa_merge")));
    }

    private static Finding single(List<CheckResult> results, String rule, String part) {
        List<Finding> found = results.stream().filter(CheckResult::failed).map(CheckResult::finding)
                .filter(f -> f.rule().equals(rule) && f.subject().name().endsWith("#" + part)).toList();
        assertThat(found).as("findings %s", failures(results).stream().map(Finding::title).toList()).hasSize(1);
        return found.get(0);
    }

    static List<Finding> failures(List<CheckResult> results) {
        return results.stream().filter(CheckResult::failed).map(CheckResult::finding).toList();
    }

    static String paths(Finding f) {
        return evidence(f, MergeFindings.PATHS_LABEL);
    }

    static String evidence(Finding f, String label) {
        return f.evidence().stream().filter(e -> e.label().equals(label)).map(Evidence::content).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence '" + label + "' in " + f.title()));
    }

    private static List<String> keys(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }
}
