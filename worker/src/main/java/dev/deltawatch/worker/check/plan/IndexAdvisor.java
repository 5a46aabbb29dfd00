package dev.deltawatch.worker.check.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Suggests a composite index for a scan from the columns its conditions compare: equality columns first, most
 * selective first (by {@code pg_stats}: n_distinct and most_common_freqs), then at most one range column, which
 * must come last for a B-tree to seek on everything before it.
 */
public final class IndexAdvisor {
    private IndexAdvisor() {}

    /** The index for {@code scan} on {@code relation}, or {@code null} when its conditions compare no column. */
    public static IndexSuggestion suggest(PlanNode scan, RelationFacts relation) {
        List<String> conditions = new ArrayList<>();
        scan.visit(n -> {
            conditions.add(n.filter());
            conditions.add(n.indexCond());
            conditions.add(n.recheckCond());
        });
        List<String> equality = new ArrayList<>();
        List<String> range = new ArrayList<>();
        for (String condition : conditions) {
            for (Predicates.Compared c : Predicates.comparedColumns(condition, relation.columns())) {
                if (c.equality() && !equality.contains(c.column())) {
                    equality.add(c.column());
                    range.remove(c.column());
                } else if (!c.equality() && !equality.contains(c.column()) && !range.contains(c.column())) {
                    range.add(c.column());
                }
            }
        }
        equality.sort(Comparator.comparingDouble(c -> selectivity(relation, c)));
        List<String> columns = new ArrayList<>(equality);
        if (!range.isEmpty()) {
            columns.add(range.get(0));
        }
        return columns.isEmpty() ? null : new IndexSuggestion(relation, columns);
    }

    /** Expected fraction of rows an equality keeps; columns without statistics sort last. */
    static double selectivity(RelationFacts relation, String column) {
        RelationFacts.ColumnStats s = relation.stats().get(column);
        return s == null ? 2.0 : s.equalitySelectivity(relation.reltuples());
    }

    /** One line on why the columns are in this order, for the finding. */
    public static String orderReason(IndexSuggestion index) {
        List<String> parts = new ArrayList<>();
        for (String c : index.columns()) {
            RelationFacts.ColumnStats s = index.relation().stats().get(c);
            parts.add(s == null ? c + " (no statistics)" : String.format(java.util.Locale.ROOT,
                    "%s (n_distinct %.0f, keeps ~%.2f%% of rows per value)", c, s.nDistinct(),
                    100 * s.equalitySelectivity(index.relation().reltuples())));
        }
        return "columns in selectivity order: " + String.join(", ", parts);
    }
}
