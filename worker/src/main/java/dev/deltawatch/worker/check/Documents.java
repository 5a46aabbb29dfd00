package dev.deltawatch.worker.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The document source: the one place that compiles the target's layout into SQL that reads documents. A document
 * is a record key and, where deltas are per owner, an owner; it has a mirror, a delta (absent when the delta table
 * has no row for it: the merged document is then the mirror) and its generated values. Checks read documents
 * through this class and never assume a layout.
 *
 * <p>{@link #rows} yields, per document: {@code rec_key} (the key's own type), {@code owner} (text, NULL without an
 * owner column), {@code m}, {@code d} (jsonb), {@code has_delta} and {@code gen_0..gen_n} (the generated columns in
 * the config's order). Filters and pages apply to records (the mirror's rows, alias {@code t}), so a page never
 * splits the documents of one record.
 */
public final class Documents {
    private final ResolvedTarget target;
    private final ResolvedTarget.Table mirror;
    private final ResolvedTarget.Table delta;

    Documents(ResolvedTarget target) {
        this.target = target;
        this.mirror = target.primaryTable();
        this.delta = target.deltaTable().orElse(null);
    }

    /** The mirror key's catalog type. */
    public String keyType() {
        return mirror.keyType();
    }

    /** The mirror's key column on alias {@code t}, for filters. */
    public String key() {
        return "t." + mirror.key();
    }

    /** How many generated columns each row carries ({@code gen_0..}). */
    public int generatedCount() {
        return target.config().documents().generatedColumns().size();
    }

    /**
     * The document rows of the records {@code filter} admits.
     *
     * @param filter  a WHERE clause on alias {@code t} (the mirror's table), or empty
     * @param page    records in key order, as many as a last parameter allows ({@code LIMIT ?}); else unordered
     *                ({@code OFFSET 0}, which keeps the level from being flattened)
     */
    public String rows(String filter, boolean page) {
        String order = page ? " ORDER BY t." + mirror.key() + " LIMIT ?" : " OFFSET 0";
        List<String> gen = generatedColumns();
        StringBuilder records = new StringBuilder("SELECT t.").append(mirror.key()).append(" AS rec_key, t.")
                .append(mirror.mirror()).append(" #> '{}' AS m");
        if (delta == null) {
            // #> '{}' decompresses each document once however often the levels above read it.
            records.append(", NULL::text AS owner, t.").append(mirror.delta()).append(" #> '{}' AS d, true AS has_delta");
            for (int i = 0; i < gen.size(); i++) {
                records.append(", ").append(gen.get(i)).append(" AS gen_").append(i);
            }
            return records.append(" FROM ").append(mirror.qualifiedName()).append(" t ").append(filter).append(order)
                    .toString();
        }
        for (int i = 0; i < gen.size(); i++) {
            if (gen.get(i).startsWith("t.")) {
                records.append(", ").append(gen.get(i)).append(" AS gen_").append(i);
            }
        }
        records.append(" FROM ").append(mirror.qualifiedName()).append(" t ").append(filter).append(order);
        StringBuilder docs = new StringBuilder("SELECT r.rec_key, ")
                .append(delta.owner() == null ? "NULL::text" : "dl." + delta.owner() + "::text").append(" AS owner, r.m, dl.")
                .append(delta.delta()).append(" #> '{}' AS d, dl.").append(delta.key()).append(" IS NOT NULL AS has_delta");
        for (int i = 0; i < gen.size(); i++) {
            docs.append(", ").append(gen.get(i).startsWith("t.") ? "r.gen_" + i : gen.get(i)).append(" AS gen_").append(i);
        }
        // A lateral lookup per record, not a join the planner may turn into a hash of the whole delta table: a page
        // of records must cost index probes into the delta table, whatever its size. OFFSET 0 keeps the planner
        // from pulling the subquery up into a plain join.
        docs.append(" FROM (").append(records).append(") r LEFT JOIN LATERAL (SELECT * FROM ")
                .append(delta.qualifiedName()).append(" x WHERE x.").append(delta.key())
                .append(" = r.rec_key OFFSET 0) dl ON true");
        return docs.append(page ? " ORDER BY " + order("r").replace("r.owner", "2") : "").toString();
    }

    /** The document order of rows on {@code alias}: by key, then owner where there is one. */
    public String order(String alias) {
        return delta != null && delta.owner() != null ? alias + ".rec_key, " + alias + ".owner" : alias + ".rec_key";
    }

    /**
     * The database's merged document of a row of {@link #rows} on {@code alias}: the merge of mirror and delta, or the
     * mirror itself for a record that has no delta row.
     */
    public String merged(String alias) {
        String merge = target.merge().sql(alias + ".m", alias + ".d");
        return delta == null ? merge : "CASE WHEN " + alias + ".has_delta THEN " + merge + " ELSE " + alias + ".m END";
    }

    /** SQL a reader can paste to see the database's merged value of one document (literals cast to their types). */
    public String reproductionSql(String key, String owner) {
        String filter = "WHERE t." + mirror.key() + " = CAST(" + literal(key) + " AS " + mirror.keyType() + ")";
        String ownerFilter = owner == null || delta == null || delta.owner() == null ? ""
                : " WHERE a.owner = " + literal(owner);
        return "SELECT a.rec_key, " + (delta != null && delta.owner() != null ? "a.owner, " : "") + merged("a")
                + " AS merged FROM (" + rows(filter, false) + ") a" + ownerFilter + ";";
    }

    /** How findings name a document: {@code record 42} or {@code record 42 / owner u-7}. */
    public static String label(String key, String owner) {
        return owner == null ? "record " + key : "record " + key + " / owner " + owner;
    }

    /** The table documents are named by ({@code public.pfa_records}): the mirror's, as in {@link #subject}. */
    public static String table(ResolvedTarget target) {
        return target.config().schema() + "." + target.config().documents().mirror().table();
    }

    /**
     * A document's subject, the same for every family: {@code public.pfa_records/42}, with {@code  / owner u-7} where
     * deltas are per owner. The table is the mirror's, whichever table of the layout the change touched.
     */
    public static dev.deltawatch.contracts.Subject subject(ResolvedTarget target, String key, String owner) {
        return new dev.deltawatch.contracts.Subject("record", table(target) + "/" + key
                + (owner == null ? "" : " / owner " + owner));
    }

    /** A SQL string literal (for reproduction SQL only; queries bind values). */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Each generated column as {@code t.col} (mirror table) or {@code dl.col} (delta table), in config order. */
    private List<String> generatedColumns() {
        List<String> out = new ArrayList<>();
        for (var g : target.config().documents().generatedColumns()) {
            String where = g.source() == dev.deltawatch.contracts.TargetConfig.GeneratedColumn.Source.DELTA
                    && delta != null ? "dl." : "t.";
            out.add(where + SqlIdentifiers.quote(g.column()));
        }
        return out;
    }
}
