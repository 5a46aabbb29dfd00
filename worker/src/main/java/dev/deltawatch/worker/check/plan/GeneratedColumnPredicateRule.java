package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.Severity;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A predicate on a generated column (or on the expression it is generated from) that is applied as a row filter
 * while no index of the table has that column or expression as a key: HIGH. Generated columns exist to be
 * indexed; a filter on one that no index serves means every candidate row is read and tested.
 */
public final class GeneratedColumnPredicateRule implements PlanRule {
    public static final String NAME = "generated-column-unindexed";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> judge(QueryMeasurement measured, RuleContext context) throws SQLException {
        List<Violation> out = new ArrayList<>();
        for (QueryMeasurement.ParamSetRuns set : measured.sets()) {
            for (PlanNode node : set.representative().nodes()) {
                String filter = node.filter();
                RelationFacts rel = filter == null ? null : context.catalog().relation(node);
                if (rel == null) {
                    continue;
                }
                for (Map.Entry<String, String> g : rel.generated().entrySet()) {
                    boolean onColumn = Predicates.mentionsColumn(filter, g.getKey()) && !rel.indexedColumn(g.getKey());
                    boolean onExpression = Predicates.mentionsExpression(filter, g.getValue())
                            && !rel.indexedExpression(g.getValue()) && !onColumn;
                    if ((onColumn || onExpression) && out.stream().noneMatch(v -> v.title().contains(g.getKey()))) {
                        out.add(violation(set, node, rel, g.getKey(), onExpression));
                    }
                }
            }
        }
        return out;
    }

    private Violation violation(QueryMeasurement.ParamSetRuns set, PlanNode node, RelationFacts rel, String column,
                                boolean viaExpression) {
        IndexSuggestion index = IndexAdvisor.suggest(node, rel);
        if (index != null && !index.columns().contains(column)) {
            index = null;
        }
        String fix = index != null ? index.createConcurrently()
                : "CREATE INDEX CONCURRENTLY ON " + dev.deltawatch.worker.check.SqlIdentifiers.qualified(rel.schema(),
                rel.name()) + " (" + dev.deltawatch.worker.check.SqlIdentifiers.quote(column) + ");";
        if (viaExpression) {
            fix = "Filter on the generated column " + column + " instead of repeating its expression, and index it: "
                    + fix;
        }
        String problem = String.format(Locale.ROOT, "%s on %s applies the predicate on generated column %s%s as a row "
                + "filter (%d rows removed by filter); no index of %s has it as a key.", node.nodeType(),
                rel.qualified(), column, viaExpression ? " (written as its expression)" : "",
                (long) (node.rowsRemovedByFilter() * Math.max(1, node.actualLoops())), rel.qualified());
        return new Violation(NAME, Severity.HIGH, "Predicate on generated column " + column + " is not served by an index",
                problem, fix, "the predicate becomes an Index Cond: only matching rows are read", set, node, List.of(),
                index);
    }
}
