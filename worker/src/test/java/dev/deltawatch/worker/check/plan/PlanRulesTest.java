package dev.deltawatch.worker.check.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery.Kind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules on hand-written EXPLAIN JSON (the shapes PostgreSQL 17 prints), each failing and passing. */
class PlanRulesTest {
    private static final RelationFacts RECORDS = new RelationFacts("public", "pfa_records", 100_000, 40L << 20,
            List.of("id", "organization_id", "merged_category", "updated_at"),
            Map.of("merged_category", "(pfa_merge(mirror_json, delta_json) ->> 'category'::text)"),
            Map.of("pfa_records_pkey", List.of("id")),
            Map.of("organization_id", new RelationFacts.ColumnStats(10, List.of(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1), 0),
                    "merged_category", new RelationFacts.ColumnStats(15, List.of(), 0)));
    private static final PlanRule.RuleContext CONTEXT = new PlanRule.RuleContext(
            RelationCatalog.fixed(Map.of("public.pfa_records", RECORDS), "auditor", "256kB"), PlanAuditSettings.defaults());

    private static final String SEQ_SCAN = """
            {"Node Type": "Seq Scan", "Relation Name": "pfa_records", "Schema": "public", "Alias": "pfa_records",
             "Startup Cost": 0.0, "Total Cost": 5494.0, "Plan Rows": 688, "Plan Width": 40, "Actual Startup Time": 0.05,
             "Actual Total Time": 35.1, "Actual Rows": 650, "Actual Loops": 1,
             "Filter": "((pfa_records.organization_id = 'HOLNG'::text) AND (pfa_records.merged_category = 'Cranes'::text))",
             "Rows Removed by Filter": 99350, "Shared Hit Blocks": 560}""";

    @Test
    void seqScanOnABigTableIsABlockerWithAnIndexInSelectivityOrder() throws Exception {
        List<Violation> v = new SeqScanRule().judge(measured(SEQ_SCAN, 10, 36), CONTEXT);
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
            assertThat(x.fix()).isEqualTo("CREATE INDEX CONCURRENTLY \"idx_pfa_records_merged_category_organization_id\" "
                    + "ON \"public\".\"pfa_records\" (\"merged_category\", \"organization_id\");");
        });
        AuditQuery fullScan = new AuditQuery("probe", "SELECT 1", List.of(), 30_000, Kind.READ, 1, true);
        assertThat(new SeqScanRule().judge(measured(fullScan, SEQ_SCAN, 36), CONTEXT)).isEmpty();
    }

    @Test
    void anIndexScanThatDoesNotConstrainTheLeadingColumnIsABlockerAndOneThatDoesPasses() throws Exception {
        RelationFacts composite = new RelationFacts("public", "pfa_records", 100_000, 1, RECORDS.columns(),
                RECORDS.generated(), Map.of("idx_org_category", List.of("organization_id", "merged_category")),
                Map.of());
        PlanRule.RuleContext context = new PlanRule.RuleContext(RelationCatalog.fixed(
                Map.of("public.pfa_records", composite), "auditor", "4MB"), PlanAuditSettings.defaults());
        String scan = """
                {"Node Type": "Index Scan", "Relation Name": "pfa_records", "Schema": "public", "Alias": "p",
                 "Index Name": "idx_org_category", "Index Cond": "(p.merged_category = 'Cranes'::text)",
                 "Plan Rows": 10, "Actual Rows": 10, "Actual Loops": 1, "Actual Total Time": 4.0}""";
        assertThat(new IndexWithoutLeadingColumnRule().judge(measured(scan, 10, 5), context)).singleElement()
                .satisfies(x -> {
                    assertThat(x.severity()).isEqualTo(Severity.BLOCKER);
                    assertThat(x.title()).contains("idx_org_category").contains("organization_id");
                });
        String leading = scan.replace("(p.merged_category = 'Cranes'::text)",
                "((p.organization_id = 'HOLNG'::text) AND (p.merged_category = 'Cranes'::text))");
        assertThat(new IndexWithoutLeadingColumnRule().judge(measured(leading, 10, 5), context)).isEmpty();
    }

    @Test
    void generatedColumnInAFilterWithoutAnIndexIsHighAndPassesWhenIndexed() throws Exception {
        assertThat(new GeneratedColumnPredicateRule().judge(measured(SEQ_SCAN, 10, 36), CONTEXT))
                .singleElement().satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.HIGH));
        RelationFacts indexed = new RelationFacts("public", "pfa_records", 100_000, 1, RECORDS.columns(),
                RECORDS.generated(), Map.of("idx", List.of("organization_id", "merged_category")), Map.of());
        PlanRule.RuleContext withIndex = new PlanRule.RuleContext(RelationCatalog.fixed(
                Map.of("x", indexed), "auditor", "4MB"), PlanAuditSettings.defaults());
        assertThat(new GeneratedColumnPredicateRule().judge(measured(SEQ_SCAN, 10, 36), withIndex)).isEmpty();
    }

    @Test
    void aPartialIndexServesOnlyThePlansWhoseConditionsImplyItsPredicate() throws Exception {
        RelationFacts partial = new RelationFacts("public", "pfa_records", 100_000, 1, RECORDS.columns(),
                RECORDS.generated(), Map.of("idx_holng", List.of("organization_id", "merged_category")), Map.of(),
                Map.of("idx_holng", "(organization_id = 'HOLNG'::text)"));
        PlanRule.RuleContext withPartial = new PlanRule.RuleContext(RelationCatalog.fixed(
                Map.of("x", partial), "auditor", "4MB"), PlanAuditSettings.defaults());
        // SEQ_SCAN filters HOLNG: the predicate holds, the index would serve it.
        assertThat(new GeneratedColumnPredicateRule().judge(measured(SEQ_SCAN, 10, 36), withPartial)).isEmpty();
        String rio = SEQ_SCAN.replace("'HOLNG'", "'RIO'");
        assertThat(new GeneratedColumnPredicateRule().judge(measured(rio, 10, 36), withPartial)).singleElement()
                .satisfies(x -> {
                    assertThat(x.severity()).isEqualTo(Severity.HIGH);
                    assertThat(x.problem()).contains("idx_holng (WHERE (organization_id = 'HOLNG'::text))");
                    assertThat(x.fix()).contains("a full index (no WHERE clause)");
                });
    }

    @Test
    void anIndexOnTheGenerationExpressionServesAFilterWrittenAsThatExpressionOnly() throws Exception {
        String byExpression = SEQ_SCAN.replace("(pfa_records.merged_category = 'Cranes'::text)",
                "((pfa_merge(pfa_records.mirror_json, pfa_records.delta_json) ->> 'category'::text) = 'Cranes'::text)");
        RelationFacts expressionIndexed = new RelationFacts("public", "pfa_records", 100_000, 1, RECORDS.columns(),
                RECORDS.generated(), Map.of("idx_expr", List.of("organization_id",
                "(pfa_merge(mirror_json, delta_json) ->> 'category'::text)")), Map.of());
        PlanRule.RuleContext context = new PlanRule.RuleContext(RelationCatalog.fixed(
                Map.of("x", expressionIndexed), "auditor", "4MB"), PlanAuditSettings.defaults());
        assertThat(new GeneratedColumnPredicateRule().judge(measured(byExpression, 10, 36), context)).isEmpty();
        assertThat(new GeneratedColumnPredicateRule().judge(measured(SEQ_SCAN, 10, 36), context)).singleElement()
                .satisfies(x -> assertThat(x.title()).contains("merged_category"));
        RelationFacts mirrorIndexed = new RelationFacts("public", "pfa_records", 100_000, 1, RECORDS.columns(),
                RECORDS.generated(), Map.of("idx_mirror", List.of("(mirror_json ->> 'category'::text)")), Map.of());
        PlanRule.RuleContext mirror = new PlanRule.RuleContext(RelationCatalog.fixed(
                Map.of("x", mirrorIndexed), "auditor", "4MB"), PlanAuditSettings.defaults());
        assertThat(new GeneratedColumnPredicateRule().judge(measured(byExpression, 10, 36), mirror)).hasSize(1);
    }

    @Test
    void latencyOverBudgetIsHighAndUnderBudgetPasses() {
        assertThat(new LatencyBudgetRule().judge(measured(SEQ_SCAN, 10, 36), CONTEXT)).singleElement()
                .satisfies(x -> assertThat(x.title()).startsWith("p95 36.0 ms over its 10 ms budget"));
        assertThat(new LatencyBudgetRule().judge(measured(SEQ_SCAN, 100, 36), CONTEXT)).isEmpty();
    }

    @Test
    void misestimateCountsButNotUnderASatisfiedLimit() throws Exception {
        String scan = """
                {"Node Type": "Bitmap Heap Scan", "Relation Name": "pfa_records", "Schema": "public", "Plan Rows": 30,
                 "Actual Rows": 10028, "Actual Loops": 1}""";
        assertThat(new MisestimateRule().judge(measured(scan, 100, 1), CONTEXT)).singleElement()
                .satisfies(x -> assertThat(x.fix()).startsWith("Run ANALYZE: ANALYZE \"public\".\"pfa_records\";"));
        String limited = """
                {"Node Type": "Limit", "Plan Rows": 100, "Actual Rows": 100, "Actual Loops": 1, "Plans": [
                  {"Node Type": "Index Scan", "Relation Name": "pfa_records", "Schema": "public", "Plan Rows": 50000,
                   "Actual Rows": 100, "Actual Loops": 1}]}""";
        assertThat(new MisestimateRule().judge(measured(limited, 100, 1), CONTEXT)).isEmpty();
    }

    @Test
    void diskSortsAndMultiBatchHashesSpillInMemoryOnesDoNot() throws Exception {
        String sort = """
                {"Node Type": "Sort", "Sort Method": "external merge", "Sort Space Used": 392, "Sort Space Type": "Disk",
                 "Plan Rows": 10, "Actual Rows": 10, "Actual Loops": 1}""";
        assertThat(new DiskSpillRule().judge(measured(sort, 100, 1), CONTEXT)).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(x.fix()).startsWith("ALTER ROLE \"auditor\" SET work_mem = '4MB';");
        });
        String hash = """
                {"Node Type": "Hash", "Hash Buckets": 1024, "Hash Batches": 8, "Original Hash Batches": 1,
                 "Peak Memory Usage": 200, "Temp Written Blocks": 100, "Plan Rows": 1, "Actual Rows": 1, "Actual Loops": 1}""";
        assertThat(new DiskSpillRule().judge(measured(hash, 100, 1), CONTEXT)).hasSize(1);
        String quick = """
                {"Node Type": "Sort", "Sort Method": "quicksort", "Sort Space Used": 25, "Sort Space Type": "Memory",
                 "Plan Rows": 10, "Actual Rows": 10, "Actual Loops": 1}""";
        assertThat(new DiskSpillRule().judge(measured(quick, 100, 1), CONTEXT)).isEmpty();
    }

    @Test
    void lossyBitmapIsLowAndExactPasses() throws Exception {
        String lossy = """
                {"Node Type": "Bitmap Heap Scan", "Relation Name": "pfa_records", "Schema": "public",
                 "Exact Heap Blocks": 100, "Lossy Heap Blocks": 2000, "Rows Removed by Index Recheck": 50000,
                 "Plan Rows": 10, "Actual Rows": 10, "Actual Loops": 1}""";
        assertThat(new LossyBitmapRule().judge(measured(lossy, 100, 1), CONTEXT)).singleElement()
                .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.LOW));
        assertThat(new LossyBitmapRule().judge(measured(lossy.replace("2000", "0"), 100, 1), CONTEXT)).isEmpty();
    }

    @Test
    void textRenderingLooksLikeExplain() {
        String text = PlanText.render(PlanJson.parse("[{\"Plan\": " + SEQ_SCAN + "}]").root());
        assertThat(text).isEqualTo("""
                Seq Scan on public.pfa_records  (cost=0.00..5494.00 rows=688 width=40) (actual time=0.050..35.100 rows=650 loops=1)
                  Filter: ((pfa_records.organization_id = 'HOLNG'::text) AND (pfa_records.merged_category = 'Cranes'::text))
                  Rows Removed by Filter: 99350
                  Buffers: shared hit=560""");
    }

    @Test
    void timingsAloneAgreeWithTheFullParseAndRefuseWhatIsNotExplainOutput() {
        String nested = "{\"Node Type\": \"Limit\", \"Plan Rows\": 1, \"Plans\": [" + SEQ_SCAN + "]}";
        String json = "[{\"Plan\": " + nested + ", \"Planning Time\": 0.125, \"Triggers\": [], "
                + "\"Execution Time\": 35.25}]";
        ExplainedPlan full = PlanJson.parse(json);
        assertThat(PlanJson.timings(json)).containsExactly(full.planningMs(), full.executionMs());
        assertThat(PlanJson.timings(json)).containsExactly(0.125, 35.25);
        assertThat(full.root().children()).singleElement().satisfies(n -> assertThat(n.isSeqScan()).isTrue());
        assertThat(full.root().get("Plans")).as("children are nodes, not properties").isNull();
        for (String bad : List.of("[{\"Planning Time\": 1}]", "[{\"Plan\": 3}]", "[{\"Plan\": {\"Node Type\": ", "42")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlanJson.timings(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlanJson.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void regressionOnlyWhenTheShapeChangedAndItIsSlower() {
        RegressionJudge judge = new RegressionJudge(PlanAuditSettings.defaults());
        String index = """
                {"Node Type": "Index Scan", "Index Name": "idx", "Relation Name": "pfa_records", "Schema": "public",
                 "Plan Rows": 1, "Actual Rows": 1, "Actual Loops": 1}""";
        PlanBaseline base = judge.judge(measured(index, 100, 0.2), null, Instant.EPOCH).newBaseline();
        assertThat(base).isNotNull();
        assertThat(judge.judge(measured(index, 100, 90), base, Instant.EPOCH)).satisfies(o -> {
            assertThat(o.violation()).isNull();
            assertThat(o.newBaseline()).as("same shape keeps the baseline").isNull();
        });
        RegressionJudge.Outcome slower = judge.judge(measured(SEQ_SCAN, 100, 36), base, Instant.EPOCH);
        assertThat(slower.violation()).isNotNull();
        assertThat(slower.violation().fix()).contains("idx");
        RegressionJudge.Outcome faster = judge.judge(measured(SEQ_SCAN, 100, 0.1), base, Instant.EPOCH);
        assertThat(faster.violation()).isNull();
        assertThat(faster.newBaseline().shape()).contains("Seq Scan");
    }

    private static QueryMeasurement measured(String nodeJson, long budgetMs, double serverMs) {
        return measured(new AuditQuery("q", "SELECT 1", List.of(), budgetMs, Kind.READ, 0, false), nodeJson, serverMs);
    }

    private static QueryMeasurement measured(AuditQuery q, String nodeJson, double serverMs) {
        ExplainedPlan p = PlanJson.parse("[{\"Plan\": " + nodeJson + ", \"Planning Time\": 0, \"Execution Time\": "
                + serverMs + "}]");
        return new QueryMeasurement(q, List.of(new QueryMeasurement.ParamSetRuns(0, List.of(), List.of(p, p))),
                null, false, serverMs, serverMs);
    }
}
