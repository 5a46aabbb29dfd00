package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.worker.check.plan.Predicates;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether some index of a table can serve a predicate on a generated column, for one plan's conditions. Judged
 * from the catalog rather than the plan's choice (on a small table the planner rightly prefers a sequential scan
 * even where the index exists), with three rules:
 * <ul>
 *   <li>a key serves the column when it is the column itself, or, for a predicate written as the generation
 *       expression, a key on that same expression ({@code pg_get_indexdef} of each key, compared normalized): an
 *       index on another expression ({@code (mirror_json ->> 'category')}) covers that expression only;</li>
 *   <li>every key before it must be in the conditions too (a B-tree seeks on a leading prefix);</li>
 *   <li>a partial index serves only the plans whose conditions imply its predicate ({@code pg_index.indpred}):
 *       one narrowed to {@code organization_id = 'HOLNG'} serves HOLNG's lookups, not RIO's.</li>
 * </ul>
 * An index the plan actually scans satisfies all three: the planner has proved it usable for these values.
 *
 * @param indexes rows of {@code name}, {@code keys} (key texts in order) and {@code predicate} (null when full)
 * @param columns rows of {@code name} and {@code quoted}: the table's columns
 */
record IndexCoverage(List<Row> indexes, List<Row> columns) {

    /** The column a predicate filters on, and how the plan's conditions write it. */
    record Target(Row generated, boolean asColumn, boolean asExpression) {}

    /**
     * Null when an index serves {@code target} under {@code conditions}; otherwise why not, naming the partial
     * indexes that would serve it but whose predicate these conditions do not imply (empty text when none).
     */
    String unserved(Target target, String conditions, Set<String> scannedIndexes) {
        List<String> excluded = new ArrayList<>();
        for (Row index : indexes) {
            List<String> keys = index.strings("keys");
            int pos = keyPosition(keys, target);
            if (pos < 0) {
                continue;
            }
            if (scannedIndexes.contains(index.str("name"))) {
                return null;
            }
            if (!keys.subList(0, pos).stream().allMatch(k -> inConditions(k, conditions))) {
                continue;
            }
            if (Predicates.implies(conditions, index.str("predicate"))) {
                return null;
            }
            excluded.add(index.str("name") + " (WHERE " + index.str("predicate") + ")");
        }
        return excluded.isEmpty() ? "" : "the partial index " + String.join(", ", excluded)
                + " has it as a key, but these conditions do not select the rows its predicate keeps";
    }

    private static int keyPosition(List<String> keys, Target target) {
        Row g = target.generated();
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            if (target.asColumn() && (g.str("name").equals(k) || g.str("quoted").equals(k))) {
                return i;
            }
            if (target.asExpression() && Predicates.normalize(k).equals(Predicates.normalize(g.str("expression")))) {
                return i;
            }
        }
        return -1;
    }

    /** A leading key is usable when the conditions mention it: a column by name, an expression by its text. */
    private boolean inConditions(String key, String conditions) {
        for (Row col : columns) {
            if (col.str("name").equals(key) || col.str("quoted").equals(key)) {
                return GeneratedPredicateIndexCheck.mentions(conditions, col);
            }
        }
        return Predicates.mentionsExpression(conditions, key);
    }
}
