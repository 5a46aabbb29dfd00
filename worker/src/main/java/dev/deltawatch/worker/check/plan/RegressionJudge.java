package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Compares a measured query with its baseline. A changed shape that is slower beyond the tolerance is a
 * regression (the baseline is kept, so the finding stays until the plan comes back); a changed shape that is not
 * slower becomes the new baseline silently; an unchanged shape keeps the old one. A query seen for the first time
 * (or whose SQL changed) is baselined.
 */
final class RegressionJudge {
    static final String RULE = "plan-regression";

    /** The verdict: a violation (regressed), or the baseline to store ({@code null}: keep the stored one). */
    record Outcome(Violation violation, PlanBaseline newBaseline) {}

    private final PlanAuditSettings settings;

    RegressionJudge(PlanAuditSettings settings) {
        this.settings = settings;
    }

    Outcome judge(QueryMeasurement measured, PlanBaseline baseline, Instant now) {
        String shape = PlanShape.of(measured);
        String hash = sqlHash(measured.query().sql());
        // The common case, an unchanged plan of unchanged SQL, keeps the stored baseline: decided before the plan
        // text is rendered, which only a new baseline or a finding needs.
        if (baseline != null && baseline.sqlHash().equals(hash) && baseline.shape().equals(shape)) {
            return new Outcome(null, null);
        }
        double p95 = measured.p95Ms();
        QueryMeasurement.ParamSetRuns slowest = measured.slowestSet();
        PlanBaseline current = new PlanBaseline(measured.query().name(), hash, shape, p95,
                PlanText.render(slowest.representative()), PlanShape.relations(measured), now);
        if (baseline == null || !baseline.sqlHash().equals(hash)) {
            return new Outcome(null, current);
        }
        boolean slower = p95 > baseline.p95Ms() * (1 + settings.regressionTolerance())
                && p95 - baseline.p95Ms() >= settings.regressionMinMs();
        if (!slower) {
            return new Outcome(null, current);
        }
        String title = String.format(Locale.ROOT, "Plan regressed: p95 %.1f ms → %.1f ms after the plan changed",
                baseline.p95Ms(), p95);
        String problem = String.format(Locale.ROOT, "The plan's shape changed since the baseline of %s and the "
                + "query is %.1f× slower (tolerance %.0f%%). A schema change (an index dropped or altered, a column "
                + "redefined) or new statistics made the planner choose differently.", baseline.takenAt(),
                p95 / Math.max(baseline.p95Ms(), 0.001), settings.regressionTolerance() * 100);
        List<Evidence> evidence = List.of(
                Evidence.of("plan shapes side by side (baseline | now)", "text", sideBySide(baseline.shape(), shape)),
                PlanFindings.evidence(String.format(Locale.ROOT, "before: baseline plan (p95 %.2f ms)",
                        baseline.p95Ms()), "plan", baseline.planText()),
                PlanFindings.evidence(String.format(Locale.ROOT, "after: current plan (p95 %.2f ms)", p95), "plan",
                        current.planText()));
        List<String> lost = indexes(baseline.shape());
        lost.removeAll(indexes(shape));
        String fix = lost.isEmpty()
                ? "Compare the two plans: ANALYZE the tables if only statistics changed, or restore the schema the "
                        + "baseline plan relied on."
                : "The baseline plan used " + String.join(", ", lost) + ", which the new plan does not: if the change "
                        + "dropped or altered it, recreate it as it was (CREATE INDEX CONCURRENTLY with its former "
                        + "definition), then re-audit.";
        Violation v = new Violation(RULE, Severity.HIGH, title, problem, fix,
                String.format(Locale.ROOT, "back to about %.1f ms", baseline.p95Ms()), slowest,
                slowest.representative().root(), evidence, null);
        return new Outcome(v, null);
    }

    /** Index names in a shape, in order of appearance. */
    static List<String> indexes(String shape) {
        List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" using (\\S+)").matcher(shape);
        while (m.find()) {
            if (!out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    static String sideBySide(String left, String right) {
        String[] l = left.split("\n");
        String[] r = right.split("\n");
        int width = 0;
        for (String s : l) {
            width = Math.max(width, s.length());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.max(l.length, r.length); i++) {
            String a = i < l.length ? l[i] : "";
            String b = i < r.length ? r[i] : "";
            sb.append(String.format(Locale.ROOT, "%-" + Math.max(width, 1) + "s | %s%n", a, b));
        }
        return sb.toString().stripTrailing();
    }

    static String sqlHash(String sql) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sql.strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present in the JDK", e);
        }
    }
}
