package dev.deltawatch.worker.check.plan;

import java.util.List;
import java.util.Map;

/**
 * What the catalog says about a relation a plan reads: size, row estimate, generated columns, indexes and the
 * column statistics the index advisor orders columns by.
 *
 * @param schema     schema name (unquoted)
 * @param name       relation name (unquoted)
 * @param reltuples  {@code pg_class.reltuples}; -1 when never analyzed
 * @param totalBytes {@code pg_total_relation_size}
 * @param columns    column names in attribute order
 * @param generated  STORED generated column name → its expression as {@code pg_get_expr} prints it
 * @param indexes    index name → its key columns or expressions, in key order
 * @param stats      column name → its {@code pg_stats} figures (only analyzed columns)
 * @param predicates partial index name → its predicate as {@code pg_get_expr(indpred)} prints it; full indexes
 *                   are absent
 */
public record RelationFacts(String schema, String name, double reltuples, long totalBytes, List<String> columns,
                            Map<String, String> generated, Map<String, List<String>> indexes,
                            Map<String, ColumnStats> stats, Map<String, String> predicates) {

    /** Facts of a relation whose indexes are all full (no partial index). */
    public RelationFacts(String schema, String name, double reltuples, long totalBytes, List<String> columns,
                         Map<String, String> generated, Map<String, List<String>> indexes,
                         Map<String, ColumnStats> stats) {
        this(schema, name, reltuples, totalBytes, columns, generated, indexes, stats, Map.of());
    }

    /**
     * @param nDistinct       {@code pg_stats.n_distinct} (negative: a fraction of the rows)
     * @param mostCommonFreqs {@code pg_stats.most_common_freqs}, possibly empty
     * @param nullFrac        {@code pg_stats.null_frac}
     */
    public record ColumnStats(double nDistinct, List<Double> mostCommonFreqs, double nullFrac) {

        /**
         * The expected fraction of rows an equality on this column keeps, for a value drawn like the data:
         * the sum of squared MCV frequencies plus the rest spread evenly over the other distinct values.
         * Lower is more selective.
         */
        public double equalitySelectivity(double reltuples) {
            double distinct = nDistinct < 0 ? -nDistinct * Math.max(reltuples, 1) : nDistinct;
            double common = 0;
            double squares = 0;
            for (double f : mostCommonFreqs) {
                common += f;
                squares += f * f;
            }
            double rest = Math.max(0, 1 - common - nullFrac);
            double otherDistinct = Math.max(1, distinct - mostCommonFreqs.size());
            return squares + rest * rest / otherDistinct;
        }
    }

    public String qualified() {
        return schema + "." + name;
    }

    /** True when some index has {@code column} as a key column. */
    public boolean indexedColumn(String column) {
        return indexes.values().stream().anyMatch(keys -> keys.contains(column));
    }

    /** True when some index has a key expression equal to {@code expression} (compared normalized). */
    public boolean indexedExpression(String expression) {
        String wanted = Predicates.normalize(expression);
        return indexes.values().stream().flatMap(List::stream).anyMatch(k -> Predicates.normalize(k).equals(wanted));
    }

    /**
     * Whether an index with {@code key} (a column name or an expression, compared normalized) can serve a plan
     * whose conditions on this relation are {@code conditions}: a full index always can; a partial index only
     * when the conditions imply its predicate ({@link Predicates#implies}), or when the plan scans it
     * ({@code scanned}), which the planner does only once it has proved the predicate for these values.
     */
    public boolean servedBy(String key, String conditions, java.util.Set<String> scanned) {
        return indexes.entrySet().stream().anyMatch(e -> hasKey(e.getValue(), key) && (scanned.contains(e.getKey())
                || Predicates.implies(conditions, predicates.get(e.getKey()))));
    }

    /** Partial indexes with {@code key} whose predicate {@code conditions} do not imply, as "name (WHERE pred)". */
    public List<String> partialIndexesExcluding(String key, String conditions, java.util.Set<String> scanned) {
        return indexes.entrySet().stream().filter(e -> hasKey(e.getValue(), key) && !scanned.contains(e.getKey())
                        && !Predicates.implies(conditions, predicates.get(e.getKey())))
                .map(e -> e.getKey() + " (WHERE " + predicates.get(e.getKey()) + ")").toList();
    }

    private static boolean hasKey(List<String> keys, String key) {
        String wanted = Predicates.normalize(key);
        return keys.contains(key) || keys.stream().anyMatch(k -> Predicates.normalize(k).equals(wanted));
    }
}
