package dev.deltawatch.worker.check.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery.Kind;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plan audit against the reference target seeded with 100K records: clean, it raises no BLOCKER or HIGH;
 * each fault of faults/plan/ (applied to its own copy of the seeded database) raises the finding it exists for.
 */
class PlanAuditIT {
    /** Fewer runs than the default: the faults change plans by orders of magnitude, not by percents. */
    private static final PlanAuditSettings SETTINGS = PlanAuditSettings.defaults().withRuns(3, 1).withProbes(true, false);
    private static PlanFaultTarget seeded;

    @BeforeAll
    static void seed() throws Exception {
        seeded = PlanFaultTarget.seed("plan_audit");
    }

    @Test
    void cleanTargetRaisesNoBlockerOrHighAndRunsTheBudgetProbes() throws Exception {
        try (HikariDataSource ds = seeded.copy(null)) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                // An unregistered statement made heavy, and a registered one run by "the application".
                for (int i = 0; i < 3; i++) {
                    s.execute("SELECT count(*) FROM pfa_records WHERE updated_by IS DISTINCT FROM 'nobody'");
                    s.execute("SELECT id, version, pfa_merge(mirror_json, delta_json) AS merged FROM pfa_records WHERE id = " + (i + 1));
                }
            }
            PlanAuditCheck check = new PlanAuditCheck(PlanAuditSettings.defaults().withRuns(3, 1), new InMemoryBaselineStore());
            PlanAuditReport report = check.auditAll(context);

            assertThat(serious(report)).as(describe(report)).isEmpty();
            // Nothing else either: the only finding is the heavy statement nobody registered.
            assertThat(report.failures()).as(describe(report))
                    .allSatisfy(r -> assertThat(r.rule()).isEqualTo(PlanAuditCheck.UNAUDITED_STATEMENT));
            assertThat(report.measurements()).extracting(m -> m.query().name())
                    .contains("records-by-org-category", "org-recently-edited-page", "probe:pfa_records:single-record-merge",
                            "probe:pfa_records:batch-merge-100", "probe:pfa_records:batch-merge-1000",
                            "probe:pfa_records:full-scan");
            assertThat(report.measurements()).allSatisfy(m -> assertThat(m.error()).as(m.query().name()).isNull());
            // The registered record-by-id, seen in pg_stat_statements with its literals normalized, is recognised.
            assertThat(report.results()).anySatisfy(r -> {
                assertThat(r.rule()).isEqualTo(PlanAuditCheck.UNAUDITED_STATEMENT);
                assertThat(r.failed()).isFalse();
            });
            assertThat(report.results()).anySatisfy(r -> {
                assertThat(r.rule()).isEqualTo(PlanAuditCheck.UNAUDITED_STATEMENT);
                assertThat(r.failed()).isTrue();
                assertThat(r.finding().evidence().get(0).content()).contains("updated_by");
            });
            assertThat(report.notes()).anySatisfy(n -> assertThat(n).contains("skipped").contains("no parameters"));
        }
    }

    @Test
    void theBudgetProbesReadTheSmallestAndLargestKeyInTheKeysOwnOrder() throws Exception {
        try (HikariDataSource ds = seeded.copy(null)) {
            AuditQuery single = BudgetProbes.of(TestInfrastructure.referenceContext(ds), false).get(0);
            long min = count(ds, "SELECT min(id) FROM pfa_records");
            long max = count(ds, "SELECT max(id) FROM pfa_records");
            assertThat(Long.toString(max).compareTo(Long.toString(max - 1))).as("text order differs").isNegative();
            assertThat(single.params()).containsExactly(List.of(Long.toString(min)), List.of(Long.toString(max)));
        }
    }

    @Test
    void droppedCompositeIndexIsABlockerSeqScanWithAVerifiedFixNamingBothColumns() throws Exception {
        try (HikariDataSource ds = seeded.copy("01_composite_index_dropped.sql")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            PlanAuditCheck check = new PlanAuditCheck(SETTINGS.withVerifyFixes(true, 1L << 30), new InMemoryBaselineStore());
            PlanAuditReport report = check.auditObjects(context, List.of("records-by-org-category"));

            Finding f = finding(report, SeqScanRule.NAME, "records-by-org-category");
            assertThat(f.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(f.fix()).startsWith("CREATE INDEX CONCURRENTLY")
                    .contains("\"organization_id\"").contains("\"merged_category\"").contains("\"public\".\"pfa_records\"");
            assertThat(f.evidence().get(0).content()).startsWith("Seq Scan on public.pfa_records")
                    .contains("Filter:").contains("Rows Removed by Filter:");
            assertThat(f.expectedImprovement()).matches(".*\\d+\\.\\d ms → \\d+\\.\\d ms, measured.*");
            assertThat(f.evidence()).extracting(Evidence::label).contains("EXPLAIN ANALYZE with the suggested index (rolled back)");
            assertThat(indexes(ds)).noneMatch(name -> name.startsWith("deltawatch_verify"));

            PlanAuditCheck refusing = new PlanAuditCheck(SETTINGS.withVerifyFixes(true, 1024), new InMemoryBaselineStore());
            Finding refused = finding(refusing.auditObjects(context, List.of("records-by-org-category")),
                    SeqScanRule.NAME, "records-by-org-category");
            assertThat(refused.expectedImprovement()).contains("not verified").contains("verify.fixes.max.table.bytes")
                    .contains("block all writes");
        }
    }

    @Test
    void generatedColumnIndexedOnlyByItsExpressionIsHigh() throws Exception {
        try (HikariDataSource ds = seeded.copy("02_generated_index_on_expression.sql")) {
            PlanAuditReport report = new PlanAuditCheck(SETTINGS, new InMemoryBaselineStore())
                    .auditObjects(TestInfrastructure.referenceContext(ds), List.of("records-by-org-category"));

            Finding f = finding(report, GeneratedColumnPredicateRule.NAME, "records-by-org-category");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.problem()).contains("merged_category");
            assertThat(f.evidence().get(0).content()).contains("Filter:").contains("merged_category");
            assertThat(f.fix()).contains("CREATE INDEX CONCURRENTLY").contains("\"merged_category\"");
        }
    }

    @Test
    void compositeIndexNarrowedToOneOrganizationIsHighCitingThePlanOfAnOrganizationItDoesNotCover() throws Exception {
        try (HikariDataSource ds = seeded.copy("06_composite_index_narrowed_to_one_org.sql")) {
            PlanAuditReport report = new PlanAuditCheck(SETTINGS, new InMemoryBaselineStore())
                    .auditObjects(TestInfrastructure.referenceContext(ds), List.of("records-by-org-category"));

            Finding f = finding(report, GeneratedColumnPredicateRule.NAME, "records-by-org-category");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.problem()).contains("merged_category").contains("idx_pfa_org_category")
                    .contains("organization_id = 'HOLNG'");
            // The evidence is the plan of RIO (parameter set 2), which the partial index does not cover.
            assertThat(f.evidence().get(0).content()).contains("Filter:").contains("merged_category");
            assertThat(f.evidence()).extracting(Evidence::label).contains("full plan (parameter set 2)");
            assertThat(evidence(f, "full plan")).contains("'RIO'").doesNotContain("'HOLNG'");
            assertThat(f.reproductionSql()).contains("EXECUTE deltawatch_audit('RIO', 'Excavators')");
        }
    }

    @Test
    void staleStatisticsAreAMediumMisestimateFixedByAnalyze() throws Exception {
        try (HikariDataSource ds = seeded.copy("03_stale_statistics.sql")) {
            PlanAuditReport report = new PlanAuditCheck(SETTINGS, new InMemoryBaselineStore())
                    .auditObjects(TestInfrastructure.referenceContext(ds), List.of("mobilizations-on-day"));

            Finding f = finding(report, MisestimateRule.NAME, "mobilizations-on-day");
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.title()).contains("run ANALYZE");
            assertThat(f.fix()).contains("ANALYZE \"public\".\"pfa_records\";");
        }
    }

    /**
     * The same fault seen by a config whose parameter is an ordinary day: its own set misses the grown value, the set
     * drawn from the data at audit time (drawFrom) finds it.
     */
    @Test
    void aValueThatGrewSinceTheLastAnalyzeIsAuditedWhenTheQueryDrawsFromTheData() throws Exception {
        try (HikariDataSource ds = seeded.copy("03_stale_statistics.sql")) {
            String sql = "SELECT count(*) FROM pfa_records WHERE merged_forecast_start = $1::date";
            RegisteredQuery fixed = new RegisteredQuery("day-count", sql, List.of(List.of("2021-06-01")), 50, Kind.READ);
            RegisteredQuery drawn = new RegisteredQuery("day-count", sql, List.of(List.of("2021-06-01")), 50, Kind.READ,
                    List.of("pfa_records.merged_forecast_start"));

            PlanAuditReport withFixed = new PlanAuditCheck(SETTINGS, new InMemoryBaselineStore())
                    .auditObjects(TestInfrastructure.context(ds, withQuery(fixed)), List.of("day-count"));
            assertThat(withFixed.failures()).as(describe(withFixed)).extracting(r -> r.finding().rule())
                    .doesNotContain(MisestimateRule.NAME);

            PlanAuditReport withDrawn = new PlanAuditCheck(SETTINGS, new InMemoryBaselineStore())
                    .auditObjects(TestInfrastructure.context(ds, withQuery(drawn)), List.of("day-count"));
            Finding f = finding(withDrawn, MisestimateRule.NAME, "day-count");
            assertThat(f.reproductionSql()).contains("'2024-03-15'");
            assertThat(withDrawn.measurements().get(0).sets()).extracting(s -> String.valueOf(s.params()))
                    .containsExactly("[2021-06-01]", "[2024-03-15]");
        }
    }

    private static TargetConfig withQuery(RegisteredQuery q) {
        TargetConfig c = ReferenceTarget.config();
        return new TargetConfig(c.schemaVersion(), c.name(), c.schema(), c.documents(), c.merge(), c.write(),
                List.of(q), c.probes());
    }

    @Test
    void loweredWorkMemMakesTheRegisteredSortSpillToDisk() throws Exception {
        try (HikariDataSource ds = seeded.copy("04_work_mem_lowered.sql")) {
            PlanAuditReport report = new PlanAuditCheck(SETTINGS, new InMemoryBaselineStore())
                    .auditObjects(TestInfrastructure.referenceContext(ds), List.of("org-recently-edited-page"));

            Finding f = finding(report, DiskSpillRule.NAME, "org-recently-edited-page");
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.evidence().get(0).content()).contains("Sort Method: external merge  Disk:");
            assertThat(f.problem()).contains("256kB");
            assertThat(f.fix()).contains("SET work_mem");
        }
    }

    @Test
    void droppingAnIndexAfterTheBaselineIsARegressionWithBothPlans() throws Exception {
        try (HikariDataSource ds = seeded.copy(null)) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            PlanAuditCheck check = new PlanAuditCheck(SETTINGS, new TargetBaselineStore());
            PlanAuditReport first = check.auditQueriesTouching(context, List.of("pfa_records"));
            assertThat(first.failures()).noneMatch(r -> r.rule().equals(RegressionJudge.RULE));
            assertThat(count(ds, "SELECT count(*) FROM deltawatch.plan_baselines")).isEqualTo(first.measurements().size());

            PlanFaultTarget.apply(ds, "05_index_dropped_after_baseline.sql");
            PlanAuditReport second = check.auditQueriesTouching(context, List.of("public.pfa_records"));
            Finding f = finding(second, RegressionJudge.RULE, "records-by-forecast-window");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.evidence()).extracting(Evidence::label)
                    .anyMatch(l -> l.startsWith("before: baseline plan")).anyMatch(l -> l.startsWith("after: current plan"));
            assertThat(evidence(f, "before:")).contains("idx_pfa_forecast_start");
            assertThat(evidence(f, "after:")).doesNotContain("idx_pfa_forecast_start");
            assertThat(evidence(f, "plan shapes side by side")).contains(" | ");
            assertThat(f.fix()).contains("idx_pfa_forecast_start");

            // Back to the baseline's plan: the regression passes (and would resolve).
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE INDEX idx_pfa_forecast_start ON pfa_records (merged_forecast_start)");
            }
            PlanAuditReport third = check.auditQueriesTouching(context, List.of("pfa_records"));
            assertThat(third.failures()).noneMatch(r -> r.rule().equals(RegressionJudge.RULE));
        }
    }

    @Test
    void afterDdlOnATableEachQueryIsARunOfItsOwnAndTheOneWhosePlanChangedRunsFirst() throws Exception {
        try (HikariDataSource ds = seeded.copy(null)) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            PlanAuditCheck check = new PlanAuditCheck(SETTINGS, new TargetBaselineStore());
            List<String> measured = check.auditQueriesTouching(context, List.of("pfa_records")).measurements()
                    .stream().map(m -> m.query().name()).toList();
            CheckScope table = CheckScope.objects(List.of("pfa_records"));
            List<CheckScope> unchanged = check.parts(context, table);
            assertThat(unchanged).extracting(CheckScope::ids).containsExactlyElementsOf(
                    measured.stream().map(List::of).toList());
            assertThat(measured.get(0)).isNotEqualTo("records-by-forecast-window");

            PlanFaultTarget.apply(ds, "05_index_dropped_after_baseline.sql");
            List<CheckScope> parts = check.parts(context, table);
            assertThat(parts.get(0).ids()).containsExactly("records-by-forecast-window");
            assertThat(parts).hasSameSizeAs(unchanged);
            List<CheckResult> first = check.run(context, parts.get(0));
            assertThat(first).filteredOn(CheckResult::failed)
                    .anyMatch(r -> r.rule().equals(RegressionJudge.RULE));
            assertThat(first).allMatch(r -> r.subject().name().equals("records-by-forecast-window"));
        }
    }

    @Test
    void aFasterPlanChangeIsRebaselinedSilently() throws Exception {
        try (HikariDataSource ds = seeded.copy("05_index_dropped_after_baseline.sql")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            InMemoryBaselineStore store = new InMemoryBaselineStore();
            PlanAuditCheck check = new PlanAuditCheck(SETTINGS.withProbes(false, false), store);
            check.auditObjects(context, List.of("records-by-forecast-window"));
            String slowShape = store.load(context).get("records-by-forecast-window").shape();

            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE INDEX idx_pfa_forecast_start ON pfa_records (merged_forecast_start)");
            }
            PlanAuditReport after = check.auditObjects(context, List.of("records-by-forecast-window"));
            assertThat(after.failures()).noneMatch(r -> r.rule().equals(RegressionJudge.RULE));
            String newShape = store.load(context).get("records-by-forecast-window").shape();
            assertThat(newShape).isNotEqualTo(slowShape).contains("idx_pfa_forecast_start");
        }
    }

    @Test
    void aBrokenQueryOrATimeoutIsAHighFindingAndTheAuditGoesOn() throws Exception {
        try (HikariDataSource ds = seeded.copy(null)) {
            CheckContext base = TestInfrastructure.referenceContext(ds);
            CheckContext impatient = new CheckContext(base.target(), ds, base.clock(), null, Duration.ofMillis(250), null);
            PlanAuditCheck check = new PlanAuditCheck(SETTINGS, new InMemoryBaselineStore());
            List<AuditQuery> queries = List.of(
                    new AuditQuery("uses-a-dropped-column", "SELECT merged_region FROM pfa_records WHERE id = $1",
                            List.of(List.of(1)), 10, Kind.READ, 0, false),
                    new AuditQuery("too-slow", "SELECT count(*) FROM pfa_records, pg_sleep(2)", List.of(), 10,
                            Kind.READ, 0, false),
                    AuditQuery.registered(base.target().config().queries().get(1)));
            PlanAuditReport report = new PlanAuditor(SETTINGS, new InMemoryBaselineStore())
                    .audit(impatient, check, queries, List.of());

            Finding broken = finding(report, PlanAuditor.QUERY_ERROR, "uses-a-dropped-column");
            assertThat(broken.severity()).isEqualTo(Severity.HIGH);
            assertThat(broken.problem()).contains("merged_region").contains("42703");
            Finding slow = finding(report, LatencyBudgetRule.NAME, "too-slow");
            assertThat(slow.title()).contains("statement_timeout");
            assertThat(report.measurements().get(2).error()).as("the audit went on").isNull();
        }
    }

    @Test
    void aWriteIsUndoneAfterEveryRunStaysUnderTheTimeoutAndLeavesNothingBehind() throws Exception {
        try (HikariDataSource ds = seeded.copy(null)) {
            CheckContext base = TestInfrastructure.referenceContext(ds);
            CheckContext impatient = new CheckContext(base.target(), ds, base.clock(), null, Duration.ofMillis(250), null);
            long v1 = count(ds, "SELECT version FROM pfa_records WHERE id = 1");
            long v2 = count(ds, "SELECT version FROM pfa_records WHERE id = 2");
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE SEQUENCE plan_it_runs");
            }
            // Matches its row only while the version is the original one: every run finds it only if the run
            // before was undone.
            AuditQuery conditional = new AuditQuery("conditional-write", "UPDATE pfa_records SET version = version + 1, "
                    + "delta_json = '{\"notes\": \"audit\"}' WHERE id = $1 AND version = $2",
                    List.of(List.of(1, v1), List.of(2, v2)), 1_000, Kind.WRITE, 0, false);
            // Fast on its first run only (a sequence is not rolled back): a later run must still be cancelled.
            AuditQuery slowLater = new AuditQuery("slow-after-first-run", "UPDATE pfa_records SET version = version + 1 "
                    + "WHERE id = $1 AND CASE WHEN nextval('plan_it_runs') < 2 THEN true ELSE pg_sleep(2) IS NOT NULL END",
                    List.of(List.of(3)), 1_000, Kind.WRITE, 0, false);
            PlanAuditCheck check = new PlanAuditCheck(SETTINGS, new InMemoryBaselineStore());
            PlanAuditReport report = new PlanAuditor(SETTINGS, new InMemoryBaselineStore())
                    .audit(impatient, check, List.of(conditional, slowLater), List.of());

            QueryMeasurement written = report.measurements().get(0);
            assertThat(written.error()).isNull();
            assertThat(written.sets()).hasSize(2).allSatisfy(set -> {
                assertThat(set.samplesMs()).hasSize(SETTINGS.runs());
                PlanNode scan = set.representative().nodes().stream().filter(n -> "pfa_records".equals(n.relation())
                        && !n.nodeType().equals("ModifyTable")).findFirst().orElseThrow();
                assertThat(scan.actualRows()).as("the last run still found the original row").isEqualTo(1);
            });
            QueryMeasurement slow = report.measurements().get(1);
            assertThat(slow.timedOut()).as("statement_timeout still armed after the first run: " + slow.error()).isTrue();
            assertThat(count(ds, "SELECT nextval('plan_it_runs')")).as("the second run did start").isGreaterThan(2);
            assertThat(count(ds, "SELECT version FROM pfa_records WHERE id = 1")).isEqualTo(v1);
            assertThat(count(ds, "SELECT version FROM pfa_records WHERE id = 2")).isEqualTo(v2);
            assertThat(count(ds, "SELECT count(*) FROM pfa_records WHERE delta_json @> '{\"notes\": \"audit\"}'")).isZero();
            assertThat(count(ds, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND state LIKE 'idle in transaction%'")).as("no transaction left open").isZero();
        }
    }

    private static List<Finding> serious(PlanAuditReport report) {
        return report.failures().stream().map(CheckResult::finding)
                .filter(f -> f.severity().failsPipeline()).toList();
    }

    private static Finding finding(PlanAuditReport report, String rule, String query) {
        return report.failures().stream().map(CheckResult::finding)
                .filter(f -> f.rule().equals(rule) && f.subject().name().equals(query)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + rule + " finding on " + query + "; got:\n" + describe(report)));
    }

    private static String evidence(Finding f, String labelPrefix) {
        return f.evidence().stream().filter(e -> e.label().startsWith(labelPrefix)).map(Evidence::content)
                .findFirst().orElseThrow();
    }

    static String describe(PlanAuditReport report) {
        return report.failures().stream().map(CheckResult::finding).filter(Objects::nonNull)
                .map(f -> f.severity() + " " + f.rule() + " " + f.subject().name() + ": " + f.title() + "\n  "
                        + (f.evidence().isEmpty() ? "" : f.evidence().get(0).content().replace("\n", "\n  ")))
                .collect(Collectors.joining("\n")) + "\nnotes: " + report.notes();
    }

    private static List<String> indexes(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = 'pfa_records'")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static long count(HikariDataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
