package dev.deltawatch.worker.check.merge;

import dev.deltawatch.worker.check.ResolvedTarget;

/**
 * The compact form of the record query (see {@link MergeRecordReader}). Columns: key, mirror (whole records
 * only), delta, merged (whole records only), the key set K (NULL for a whole record), the values of mirror and
 * merged at K as two text[] in K's order (NULL element = absent key), whether merged and mirror agree outside K, then the
 * generated columns. Parameters: the generated columns' first path keys, twice, as text[].
 *
 * <p>The merge is evaluated once per record: {@code OFFSET 0} keeps the planner from inlining the lateral
 * subquery and calling the function again for every reference to {@code r.merged}. Mirror and delta are
 * decompressed once per record, and a record the merge left unchanged skips the comparison outside K.
 */
final class CompactSelect {
    private CompactSelect() {}

    static String sql(ResolvedTarget target, ResolvedTarget.Table table) {
        // v.m and v.d: the documents decompressed once per record (#> '{}' returns its input, detoasted). Every
        // reference to the column itself decompresses it again: with ~2 KB mirrors that was a third of the query.
        String m = "v.m";
        String d = "v.d";
        StringBuilder sql = new StringBuilder("SELECT t.").append(table.key()).append("::text, ")
                .append("CASE WHEN x.keys IS NULL THEN ").append(m).append("::text END, ")
                .append(d).append("::text, ")
                .append("CASE WHEN x.keys IS NULL THEN r.merged::text END, ")
                .append("x.keys, x.mirror_at_keys, ")
                // A merge that left the record as it was (no delta, typically) has the mirror's values at K.
                .append("CASE WHEN x.same THEN x.mirror_at_keys WHEN cardinality(x.keys) > 0 THEN ")
                .append("ARRAY(SELECT (r.merged -> u.k)::text FROM unnest(x.keys) AS u(k)) END, ")
                .append("CASE WHEN x.keys IS NULL THEN false WHEN x.same THEN true WHEN cardinality(x.keys) = 0 ")
                .append("THEN false ELSE (r.merged - x.keys) = (").append(m).append(" - x.keys) END");
        for (ResolvedTarget.Generated g : table.generated()) {
            sql.append(", t.").append(g.column()).append("::text");
        }
        // OFFSET 0 keeps each lateral from being inlined, which would evaluate its expressions once per reference.
        return sql.append(" FROM ").append(table.qualifiedName()).append(" t")
                .append(" CROSS JOIN LATERAL (SELECT t.").append(table.mirror()).append(" #> '{}' AS m, t.")
                .append(table.delta()).append(" #> '{}' AS d OFFSET 0) v")
                .append(" CROSS JOIN LATERAL (SELECT ").append(target.mergeFunction()).append("(").append(m)
                .append(", ").append(d).append(") AS merged OFFSET 0) r")
                .append(" CROSS JOIN LATERAL (SELECT k.keys, k.same, CASE WHEN cardinality(k.keys) > 0 THEN ")
                .append("ARRAY(SELECT (").append(m).append(" -> u.k)::text FROM unnest(k.keys) AS u(k)) END")
                .append(" AS mirror_at_keys FROM (SELECT CASE")
                .append(" WHEN jsonb_typeof(").append(m).append(") IS DISTINCT FROM 'object'")
                .append(" OR jsonb_typeof(r.merged) IS DISTINCT FROM 'object' THEN NULL")
                .append(" WHEN ").append(d).append(" IS NULL THEN CAST(? AS text[])")
                .append(" WHEN jsonb_typeof(").append(d).append(") = 'object' THEN ARRAY(SELECT jsonb_object_keys(")
                .append(d).append(")) || CAST(? AS text[])")
                .append(" END AS keys, r.merged = ").append(m).append(" AS same OFFSET 0) k OFFSET 0) x").toString();
    }
}
