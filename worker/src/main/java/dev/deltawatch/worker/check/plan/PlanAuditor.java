package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits a list of queries: measures each ({@link ExplainRunner}), judges it with every {@link PlanRule}, compares
 * it with its baseline ({@link RegressionJudge}), verifies index fixes when asked, and returns one result per
 * query and rule: a finding, or a pass that lets an open finding resolve. A query that cannot run yields a
 * {@code query-error} finding (a timeout after its whole budget counts against the latency budget); it never aborts
 * the audit. A query cancelled by a statement timeout shorter than its budget was not measured: its latency verdict
 * is a skipped result ({@link #NOT_MEASURED}), never a budget finding without a figure.
 */
public final class PlanAuditor {
    public static final String QUERY_ERROR = "query-error";
    /** How a skipped latency verdict's reason begins when statement_timeout cancelled the query before its budget. */
    public static final String NOT_MEASURED = "not measured: cancelled by statement_timeout (";
    private static final Logger LOG = LoggerFactory.getLogger(PlanAuditor.class);

    private final PlanAuditSettings settings;
    private final BaselineStore baselines;
    private final List<PlanRule> rules;

    public PlanAuditor(PlanAuditSettings settings, BaselineStore baselines) {
        this(settings, baselines, defaultRules());
    }

    public PlanAuditor(PlanAuditSettings settings, BaselineStore baselines, List<PlanRule> rules) {
        this.settings = settings;
        this.baselines = baselines;
        this.rules = List.copyOf(rules);
    }

    public static List<PlanRule> defaultRules() {
        return List.of(new SeqScanRule(), new LatencyBudgetRule(), new GeneratedColumnPredicateRule(),
                new MisestimateRule(), new DiskSpillRule(), new LossyBitmapRule(), new IndexWithoutLeadingColumnRule());
    }

    public PlanAuditSettings settings() {
        return settings;
    }

    public BaselineStore baselines() {
        return baselines;
    }

    public PlanAuditReport audit(CheckContext context, Check check, List<AuditQuery> queries, List<String> notes)
            throws SQLException {
        long t0 = System.nanoTime();
        List<String> allNotes = new ArrayList<>(notes);
        Map<String, PlanBaseline> stored = loadBaselines(context, allNotes);
        try (ExplainRunner runner = new ExplainRunner(context, settings)) {
            return audit(context, check, queries, allNotes, stored, runner, t0);
        }
    }

    private PlanAuditReport audit(CheckContext context, Check check, List<AuditQuery> queries, List<String> allNotes,
                                  Map<String, PlanBaseline> stored, ExplainRunner runner, long t0) throws SQLException {
        PlanRule.RuleContext ruleContext = new PlanRule.RuleContext(new RelationCatalog(context), settings);
        FixVerifier verifier = settings.verifyFixes() ? new FixVerifier(context, settings) : null;
        RegressionJudge regressions = new RegressionJudge(settings);
        List<CheckResult> results = new ArrayList<>();
        List<QueryMeasurement> measured = new ArrayList<>();
        for (AuditQuery query : queries) {
            QueryMeasurement m = runner.measure(query);
            measured.add(m);
            if (m.timedOut() && context.statementTimeout().toMillis() < query.budgetMs()) {
                // Cancelled before its budget ran out: how long it would have taken is unknown, so it is no
                // verdict on the budget (load beside it, ours or not, may be all that slowed it).
                results.add(CheckResult.skipped(LatencyBudgetRule.NAME, PlanFindings.subject(query),
                        NOT_MEASURED + context.statementTimeout().toMillis() + " ms) before its "
                                + query.budgetMs() + " ms budget ran out"));
                continue;
            }
            if (m.failed()) {
                results.add(CheckResult.fail(PlanFindings.finding(context, check, m, failure(m), null, List.of())));
                continue;
            }
            judge(context, check, m, ruleContext, verifier, results);
            RegressionJudge.Outcome outcome = regressions.judge(m, stored.get(query.name()), context.clock().instant());
            if (outcome.violation() != null) {
                results.add(CheckResult.fail(PlanFindings.finding(context, check, m, outcome.violation(), null, List.of())));
            } else {
                results.add(CheckResult.pass(RegressionJudge.RULE, PlanFindings.subject(query)));
                saveBaseline(context, outcome.newBaseline(), allNotes);
            }
        }
        return new PlanAuditReport(results, measured, allNotes, (System.nanoTime() - t0) / 1e6);
    }

    private void judge(CheckContext context, Check check, QueryMeasurement m, PlanRule.RuleContext ruleContext,
                       FixVerifier verifier, List<CheckResult> results) throws SQLException {
        for (PlanRule rule : rules) {
            List<Violation> found = rule.judge(m, ruleContext);
            if (found.isEmpty()) {
                results.add(CheckResult.pass(rule.name(), PlanFindings.subject(m.query())));
                continue;
            }
            Violation worst = found.get(0);
            List<String> others = found.subList(1, found.size()).stream().map(Violation::title).toList();
            FixVerifier.Verification verification = verifier == null ? null : verifier.verify(m, worst);
            dev.deltawatch.contracts.Finding finding = PlanFindings.finding(context, check, m, worst, verification,
                    others);
            results.add(worst.index() == null ? CheckResult.fail(finding)
                    : CheckResult.fail(finding, PlanFindings.defect(worst)));
        }
    }

    /** A query that did not run: over budget when statement_timeout cancelled it, otherwise an error finding. */
    private static Violation failure(QueryMeasurement m) {
        if (m.timedOut()) {
            return new Violation(LatencyBudgetRule.NAME, Severity.HIGH, "Cancelled by statement_timeout, budget "
                    + m.query().budgetMs() + " ms", "The query did not finish within the audit's statement_timeout: "
                    + m.error(), "Make the query cheaper (an index for its conditions, fewer rows); rerun the audit to "
                    + "see its plan.", "finishes within " + m.query().budgetMs() + " ms", null, null, List.of(), null);
        }
        return new Violation(QUERY_ERROR, Severity.HIGH, "The query no longer runs", String.format(Locale.ROOT,
                "EXPLAIN ANALYZE of the registered query failed: %s. A schema change may have broken it.", m.error()),
                "Fix the query or the schema so the statement runs again (reproduce it with the SQL below).",
                null, null, null, List.of(), null);
    }

    private Map<String, PlanBaseline> loadBaselines(CheckContext context, List<String> notes) {
        try {
            return baselines.load(context);
        } catch (SQLException e) {
            notes.add("plan baselines unavailable, regressions not judged: " + ExplainRunner.oneLine(e));
            LOG.warn("plan.audit: cannot load baselines: {}", ExplainRunner.oneLine(e));
            return Map.of();
        }
    }

    private void saveBaseline(CheckContext context, PlanBaseline baseline, List<String> notes) {
        if (baseline == null) {
            return;
        }
        try {
            baselines.save(context, baseline);
        } catch (SQLException e) {
            notes.add("baseline of " + baseline.queryName() + " not saved: " + ExplainRunner.oneLine(e));
        }
    }
}
