package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.Severity;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An index scan whose condition does not constrain the index's leading column, on a relation over the
 * sequential-scan limit: BLOCKER, for the same reason as a sequential scan. A B-tree can only be entered through
 * its leading column; a condition on a later column alone makes PostgreSQL read every entry of the index (seen
 * when the single-column index a lookup used is dropped and a composite one that merely contains the column is
 * left: the plan still says "Index Scan", but its cost grows with the table).
 */
public final class IndexWithoutLeadingColumnRule implements PlanRule {
    public static final String NAME = "index-scan-without-leading-column";

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
                if (node.index() == null || node.indexCond() == null || out.stream().anyMatch(v -> v.node().index()
                        .equals(node.index()))) {
                    continue;
                }
                RelationFacts rel = context.catalog().relation(node);
                List<String> columns = rel == null ? null : rel.indexes().get(node.index());
                // A leading expression (an expression index) cannot be judged by column names: leave it alone.
                if (columns == null || columns.size() < 2 || !rel.columns().contains(columns.get(0))
                        || rel.reltuples() <= context.settings().seqScanMinRows()) {
                    continue;
                }
                boolean leading = Predicates.comparedColumns(node.indexCond(), rel.columns()).stream()
                        .anyMatch(c -> c.column().equals(columns.get(0)));
                if (!leading) {
                    out.add(violation(set, node, rel, columns));
                }
            }
        }
        return out;
    }

    private Violation violation(QueryMeasurement.ParamSetRuns set, PlanNode node, RelationFacts rel,
                                List<String> columns) {
        IndexSuggestion index = IndexAdvisor.suggest(node, rel);
        String problem = String.format(Locale.ROOT, "%s using %s (%s) on %s, a table of %.0f rows, with the condition "
                + "%s: the index leads with %s, which the condition does not constrain, so the scan reads every entry "
                + "of the index. Its cost grows with the table, not with the result.", node.nodeType(), node.index(),
                String.join(", ", columns), node.qualifiedRelation(), rel.reltuples(), node.indexCond(),
                columns.get(0));
        String fix = index != null ? index.createConcurrently()
                : "Create an index that leads with the column the condition constrains.";
        return new Violation(NAME, Severity.BLOCKER, String.format(Locale.ROOT,
                "Index scan on %s reads the whole index %s (%.0f rows): its leading column %s is not constrained",
                node.qualifiedRelation(), node.index(), rel.reltuples(), columns.get(0)), problem, fix,
                "an index leading with the constrained column reads only the matching entries", set, node,
                List.of(), index);
    }
}
