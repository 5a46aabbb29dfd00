package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.findings.FindingBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a {@link Violation} into a {@link Finding} in the DBRE report's shape: node, timings, fix, reproduction. */
final class PlanFindings {
    static final int MAX_EVIDENCE_CHARS = 8_000;

    private PlanFindings() {}

    static Subject subject(AuditQuery query) {
        return new Subject("query", query.name());
    }

    /**
     * The defect a violation shows when its fix is an index: the index its plans need and do not use
     * ({@code index:public.pfa_records (id)}). Queries that regress for one such index (a dropped primary key slows
     * every lookup by id) are one finding listing them, not one per query; null (a finding per query) otherwise.
     */
    static Subject defect(Violation v) {
        return v.index() == null ? null : new Subject("index", v.index().relation().qualified() + " ("
                + String.join(", ", v.index().columns()) + ")");
    }

    static Finding finding(CheckContext context, Check check, QueryMeasurement measured, Violation v,
                           FixVerifier.Verification verification, List<String> alsoSeen) {
        FindingBuilder b = context.finding(check, v.rule(), v.severity(), subject(measured.query()))
                .title(v.title() + " — " + measured.query().name())
                .problem(v.problem() + (alsoSeen.isEmpty() ? "" : " Also: " + String.join("; ", alsoSeen) + "."))
                .fix(v.fix())
                .expectedImprovement(verification != null ? verification.summary() : v.expectedImprovement())
                .reproductionSql(reproduction(measured.query(), v.set() != null ? v.set().params()
                        : measured.query().params().get(0)));
        if (v.node() != null) {
            b.evidence(evidence("EXPLAIN ANALYZE (offending node)", "plan", PlanText.render(v.node())));
        }
        b.evidence(Evidence.text("timings", timings(measured, v)));
        v.evidence().forEach(b::evidence);
        if (verification != null && verification.after() != null) {
            b.evidence(evidence("EXPLAIN ANALYZE with the suggested index (rolled back)", "plan",
                    PlanText.render(verification.after())));
        }
        if (v.set() != null && !RegressionJudge.RULE.equals(v.rule())) {
            b.evidence(evidence("full plan (parameter set " + (v.set().index() + 1) + ")", "plan",
                    PlanText.render(v.set().representative())));
        }
        return b.build();
    }

    static Evidence evidence(String label, String format, String content) {
        boolean cut = content.length() > MAX_EVIDENCE_CHARS;
        return new Evidence(label, format, cut ? content.substring(0, MAX_EVIDENCE_CHARS) + "\n…" : content, cut);
    }

    private static String timings(QueryMeasurement m, Violation v) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "p95 %.2f ms over %d measured runs "
                + "(budget %d ms)", m.p95Ms(), m.samplesMs().size(), m.query().budgetMs()));
        if (v.set() != null) {
            ExplainedPlan p = v.set().representative();
            sb.append(String.format(Locale.ROOT, "; this plan: planning %.3f ms, execution %.3f ms", p.planningMs(),
                    p.executionMs()));
        }
        if (v.node() != null) {
            sb.append(String.format(Locale.ROOT, "; node: %.3f ms, rows %.0f (estimated %.0f) × %.0f loops",
                    v.node().actualTotalMs(), v.node().actualRows(), v.node().planRows(), v.node().actualLoops()));
            if (v.node().rowsRemovedByFilter() > 0) {
                sb.append(String.format(Locale.ROOT, ", rows removed by filter %.0f", v.node().rowsRemovedByFilter()));
            }
        }
        return sb.toString();
    }

    /** The query as a person reruns it in psql: PREPARE with its $n, then EXPLAIN EXECUTE with literal values. */
    static String reproduction(AuditQuery q, List<Object> params) {
        List<String> literals = new ArrayList<>();
        for (Object p : params) {
            literals.add(p == null ? "NULL" : "'" + String.valueOf(p).replace("'", "''") + "'");
        }
        return "PREPARE deltawatch_audit AS " + q.sql().strip() + ";\nEXPLAIN (ANALYZE, BUFFERS, VERBOSE) EXECUTE "
                + "deltawatch_audit" + (literals.isEmpty() ? "" : "(" + String.join(", ", literals) + ")") + ";";
    }
}
