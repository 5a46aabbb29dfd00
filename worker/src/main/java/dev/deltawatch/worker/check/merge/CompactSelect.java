package dev.deltawatch.worker.check.merge;

import dev.deltawatch.worker.check.Documents;

/**
 * The compact form of the record query (see {@link MergeRecordReader}). Columns: key, mirror (whole records
 * only), delta, merged (whole records only), the key set K (NULL for a whole record), the values of mirror and
 * merged at K as a two-dimensional text[] (one {mirror, merged} pair per key of K in K's order, NULL = absent key),
 * whether merged and mirror agree outside K, the owner, whether the record has a delta, then the generated columns.
 * The rows and the merged value come from {@link Documents}, which knows the layout. Parameters: the generated columns' first
 * path keys, twice, as text[]; then those of the filter.
 *
 * <p>Each step is its own level of nested subqueries: the document row (mirror and delta decompressed once, by
 * {@code #> '{}'}), then the merge, then K, then the output. A level that orders or says {@code OFFSET 0} is
 * not flattened into its parent, so the merge is evaluated once per record however often {@code merged} is
 * referenced. Measured over 100,000 ~2 KB records on one core: the same query written with {@code LATERAL}
 * subqueries cost 4.1 s against 2.4 s for the merge alone; nested, 3.3 s, because a lateral is re-scanned
 * (executor start-up and all) for every row while a nested level streams.
 */
final class CompactSelect {
    private CompactSelect() {}

    /**
     * @param filter the WHERE clause (with its leading {@code WHERE}) on table alias {@code t}, or empty
     * @param page   rows in key order, as many as a last parameter allows ({@code LIMIT ?}); else unordered
     */
    static String sql(Documents documents, String filter, boolean page) {
        String row = documents.rows(filter, page);
        String merged = "SELECT a.*, " + documents.merged("a") + " AS merged FROM (" + row + ") a" + level(page, "a");
        String keys = "SELECT b.*, CASE"
                + " WHEN jsonb_typeof(b.m) IS DISTINCT FROM 'object' OR jsonb_typeof(b.merged) IS DISTINCT FROM"
                + " 'object' THEN NULL"
                + " WHEN b.d IS NULL THEN CAST(? AS text[])"
                + " WHEN jsonb_typeof(b.d) = 'object' THEN ARRAY(SELECT jsonb_object_keys(b.d)) || CAST(? AS text[])"
                + " END AS keys, b.merged = b.m AS same FROM (" + merged + ") b" + level(page, "b");

        StringBuilder sql = new StringBuilder("SELECT c.rec_key::text, CASE WHEN c.keys IS NULL THEN c.m::text END, ")
                .append("c.d::text, CASE WHEN c.keys IS NULL THEN c.merged::text END, c.keys, ")
                .append("CASE WHEN cardinality(c.keys) > 0 THEN ARRAY(SELECT ARRAY[(c.m -> u.k)::text, ")
                .append("(c.merged -> u.k)::text] FROM (SELECT unnest(c.keys) AS k) u) END, ")
                // A merge that left the record as it was (no delta, typically) needs no comparison outside K.
                .append("CASE WHEN c.keys IS NULL THEN false WHEN c.same THEN true WHEN cardinality(c.keys) = 0 ")
                .append("THEN false ELSE (c.merged - c.keys) = (c.m - c.keys) END, c.owner, c.has_delta");
        for (int i = 0; i < documents.generatedCount(); i++) {
            sql.append(", c.gen_").append(i).append("::text");
        }
        return sql.append(" FROM (").append(keys).append(") c").append(page ? " ORDER BY " + documents.order("c") : "")
                .toString();
    }

    /** What keeps a level from being flattened: an ORDER BY on a page (free: the rows are sorted already), else OFFSET 0. */
    private static String level(boolean page, String alias) {
        return page ? " ORDER BY " + alias + ".rec_key" : " OFFSET 0";
    }
}
