package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.SqlIdentifiers;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The planner's row estimate off from the actual rows by the configured factor (100×) or more: MEDIUM, fixed by
 * ANALYZE of the relation whose estimate is wrong. Compares per-loop figures, as EXPLAIN reports both. Ignores
 * results under 1,000 rows on both sides (a 1-vs-150 miss changes no plan), and nodes a satisfied Limit stopped
 * early, whose low actual count is the Limit's doing, not the statistics'.
 */
public final class MisestimateRule implements PlanRule {
    public static final String NAME = "row-misestimate";
    static final double MIN_ROWS = 1_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> judge(QueryMeasurement measured, RuleContext context) throws SQLException {
        double factor = context.settings().misestimateFactor();
        for (QueryMeasurement.ParamSetRuns set : measured.sets()) {
            List<PlanNode> hits = new ArrayList<>();
            collect(set.representative().root(), false, factor, hits);
            // The deepest hit is where the wrong estimate starts; the nodes above inherit it.
            for (int i = hits.size() - 1; i >= 0; i--) {
                PlanNode node = hits.get(i);
                RelationFacts rel = relationOf(node, context);
                if (rel != null) {
                    return List.of(violation(set, node, rel));
                }
            }
        }
        return List.of();
    }

    private static void collect(PlanNode node, boolean cutShort, double factor, List<PlanNode> hits) {
        double est = node.planRows();
        double act = node.actualRows();
        if (node.actualLoops() > 0 && Math.max(est, act) >= MIN_ROWS) {
            double ratio = Math.max(est, 1) / Math.max(act, 1);
            boolean under = ratio < 1;
            ratio = under ? 1 / ratio : ratio;
            if (ratio >= factor && !(cutShort && !under)) {
                hits.add(node);
            }
        }
        boolean limitSatisfied = "Limit".equals(node.nodeType()) && node.actualRows() >= node.planRows();
        for (PlanNode child : node.children()) {
            collect(child, cutShort || limitSatisfied, factor, hits);
        }
    }

    private static RelationFacts relationOf(PlanNode node, RuleContext context) throws SQLException {
        for (PlanNode n : node.flatten()) {
            RelationFacts rel = context.catalog().relation(n);
            if (rel != null) {
                return rel;
            }
        }
        return null;
    }

    private Violation violation(QueryMeasurement.ParamSetRuns set, PlanNode node, RelationFacts rel) {
        double est = node.planRows();
        double act = node.actualRows();
        String analyze = "ANALYZE " + SqlIdentifiers.qualified(rel.schema(), rel.name()) + ";";
        String problem = String.format(Locale.ROOT, "%s estimated %.0f rows per loop but got %.0f (%.0f× %s). "
                + "Plans built on estimates this wrong pick the wrong join and scan strategies; the statistics of %s "
                + "are stale (autovacuum may be off for it, or a bulk change has not been analyzed yet).",
                node.nodeType(), est, act, Math.max(est, act) / Math.max(1, Math.min(est, act)),
                act > est ? "more than estimated" : "fewer than estimated", rel.qualified());
        return new Violation(NAME, Severity.MEDIUM, String.format(Locale.ROOT,
                "Row estimate off: %.0f estimated, %.0f actual — run ANALYZE", est, act), problem,
                "Run ANALYZE: " + analyze + " (and check that autovacuum is enabled for the table)",
                "estimates within a small factor of the actual rows after ANALYZE", set, node, List.of(), null);
    }
}
