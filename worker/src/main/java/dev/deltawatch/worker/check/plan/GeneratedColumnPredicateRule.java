package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.Severity;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A predicate on a generated column (or on the expression it is generated from) that is applied as a row filter
 * while no index of the table can serve it for that plan's values: HIGH. Generated columns exist to be indexed; a
 * filter on one that no index serves means every candidate row is read and tested. A partial index serves only
 * the parameter sets whose conditions imply its predicate ({@link RelationFacts#servedBy}): one narrowed to
 * {@code organization_id = 'HOLNG'} leaves RIO's lookups filtering, and the finding shows RIO's plan.
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
                String conditions = conditions(set.representative(), node);
                Set<String> scanned = scanned(set.representative(), node);
                for (Map.Entry<String, String> g : rel.generated().entrySet()) {
                    boolean onColumn = Predicates.mentionsColumn(filter, g.getKey())
                            && !rel.servedBy(g.getKey(), conditions, scanned);
                    boolean onExpression = Predicates.mentionsExpression(filter, g.getValue())
                            && !rel.servedBy(g.getValue(), conditions, scanned) && !onColumn;
                    if ((onColumn || onExpression) && out.stream().noneMatch(v -> v.title().contains(g.getKey()))) {
                        List<String> partial = rel.partialIndexesExcluding(onColumn ? g.getKey() : g.getValue(),
                                conditions, scanned);
                        out.add(violation(set, node, rel, g.getKey(), onExpression, partial));
                    }
                }
            }
        }
        return out;
    }

    /** All conditions the plan applies to {@code scan}'s relation (a partial index needs them to imply its predicate). */
    private static String conditions(ExplainedPlan plan, PlanNode scan) {
        List<String> out = new ArrayList<>();
        for (PlanNode n : plan.nodes()) {
            if (sameRelation(n, scan)) {
                n.visit(m -> {
                    out.add(m.filter());
                    out.add(m.indexCond());
                    out.add(m.recheckCond());
                });
            }
        }
        out.removeIf(java.util.Objects::isNull);
        return String.join("\n", out);
    }

    /** Indexes the plan scans on {@code scan}'s relation, bitmap index scans under its heap scans included. */
    private static Set<String> scanned(ExplainedPlan plan, PlanNode scan) {
        Set<String> out = new HashSet<>();
        for (PlanNode n : plan.nodes()) {
            if (sameRelation(n, scan)) {
                n.visit(m -> {
                    if (m.index() != null && (m.relation() == null || sameRelation(m, scan))) {
                        out.add(m.index());
                    }
                });
            }
        }
        return out;
    }

    private static boolean sameRelation(PlanNode a, PlanNode b) {
        return a.relation() != null && a.relation().equals(b.relation())
                && java.util.Objects.equals(a.schema(), b.schema());
    }

    private Violation violation(QueryMeasurement.ParamSetRuns set, PlanNode node, RelationFacts rel, String column,
                                boolean viaExpression, List<String> partial) {
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
                (long) (node.rowsRemovedByFilter() * Math.max(1, node.actualLoops())), rel.qualified())
                + (partial.isEmpty() ? "" : String.format(Locale.ROOT, " The partial index %s has it as a key, but "
                + "parameter set %d %s is outside its predicate: it serves only the rows its WHERE keeps.",
                String.join(", ", partial), set.index() + 1, set.params()));
        if (!partial.isEmpty()) {
            fix = fix + "\n-- a full index (no WHERE clause), or one whose WHERE keeps these rows too, replacing "
                    + String.join(", ", partial);
        }
        return new Violation(NAME, Severity.HIGH, "Predicate on generated column " + column + " is not served by an index",
                problem, fix, "the predicate becomes an Index Cond: only matching rows are read", set, node, List.of(),
                index);
    }
}
