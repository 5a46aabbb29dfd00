package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.Severity;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** A sequential scan on a relation with more rows ({@code reltuples}) than the limit: BLOCKER. */
public final class SeqScanRule implements PlanRule {
    public static final String NAME = "seq-scan";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> judge(QueryMeasurement measured, RuleContext context) throws SQLException {
        if (measured.query().fullScanExpected()) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>();
        for (QueryMeasurement.ParamSetRuns set : measured.sets()) {
            for (PlanNode node : set.representative().nodes()) {
                if (!node.isSeqScan()) {
                    continue;
                }
                RelationFacts rel = context.catalog().relation(node);
                // A relation never analyzed has reltuples -1: fall back to what the scan actually read.
                double read = (node.actualRows() + node.rowsRemovedByFilter()) * Math.max(1, node.actualLoops());
                double rows = rel == null ? read : Math.max(rel.reltuples(), read);
                if (rows > context.settings().seqScanMinRows() && out.stream().noneMatch(v -> v.node().qualifiedRelation()
                        .equals(node.qualifiedRelation()))) {
                    out.add(violation(set, node, rel, rows, context));
                }
            }
        }
        out.sort(Comparator.comparingDouble((Violation v) -> -v.node().actualTotalMs()));
        return out;
    }

    private Violation violation(QueryMeasurement.ParamSetRuns set, PlanNode node, RelationFacts rel, double rows,
                                RuleContext context) {
        IndexSuggestion index = rel == null ? null : IndexAdvisor.suggest(node, rel);
        String relation = node.qualifiedRelation();
        double loops = Math.max(1, node.actualLoops());
        String problem = String.format(Locale.ROOT, "%s on %s, a table of %.0f rows: it read %.0f rows and discarded "
                + "%.0f by filter to return %.0f. Its cost grows with the table, not with the result.", node.nodeType(),
                relation, rows, (node.actualRows() + node.rowsRemovedByFilter()) * loops,
                node.rowsRemovedByFilter() * loops, node.actualRows() * loops);
        String fix = index != null ? index.createConcurrently()
                : "Nothing in the conditions can be indexed: add a selective WHERE clause (on indexed columns) or a LIMIT.";
        String expected = String.format(Locale.ROOT, "an index scan reads only the matching rows instead of %.0f "
                + "(the scan now takes %.1f ms)", rows, node.actualTotalMs());
        return new Violation(NAME, Severity.BLOCKER, String.format(Locale.ROOT,
                "Sequential scan on %s (%.0f rows)", relation, rows), problem, fix, expected, set, node,
                index == null ? List.of() : List.of(dev.deltawatch.contracts.Evidence.text("index column order",
                        IndexAdvisor.orderReason(index))), index);
    }
}
