package dev.deltawatch.worker.discover;

import dev.deltawatch.worker.config.ConfigException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the mirror + delta pattern in one schema: a delta table (a table with a jsonb column whose single-column
 * foreign key references the key of another table with a jsonb column; an owner where a unique constraint pairs the
 * reference with one other column), or two jsonb columns on one row. Several candidates: the one whose names read
 * most like mirror and delta wins and the others are named in the notes. None: a {@link ConfigException} (exit 2).
 */
final class LayoutDiscovery {
    private static final String JSONB_COLUMNS = """
            SELECT c.relname AS tbl, a.attname AS col, a.attnotnull AS notnull
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0
               AND NOT a.attisdropped AND a.atttypid = 'jsonb'::regtype AND a.attgenerated = ''
             ORDER BY c.relname, a.attnum""";
    private static final String REFERENCES = """
            SELECT src.relname AS delta_table, sa.attname AS record, dst.relname AS mirror_table, da.attname AS mkey,
                   format_type(da.atttypid, da.atttypmod) AS key_type, con.conname AS name
              FROM pg_constraint con
              JOIN pg_class src ON src.oid = con.conrelid JOIN pg_class dst ON dst.oid = con.confrelid
              JOIN pg_namespace n ON n.oid = src.relnamespace JOIN pg_namespace dn ON dn.oid = dst.relnamespace
              JOIN pg_attribute sa ON sa.attrelid = con.conrelid AND sa.attnum = con.conkey[1]
              JOIN pg_attribute da ON da.attrelid = con.confrelid AND da.attnum = con.confkey[1]
             WHERE con.contype = 'f' AND n.nspname = ? AND dn.nspname = n.nspname
               AND cardinality(con.conkey) = 1 AND src.oid <> dst.oid
             ORDER BY 1, 2""";
    private static final String UNIQUES = """
            SELECT ic.relname AS name, array_to_string(ARRAY(
                       SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord), ',') AS cols,
                   i.indisprimary AS pk
              FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = ? AND t.relname = ? AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
             ORDER BY i.indisprimary DESC, i.indnatts, ic.relname""";
    private static final String KEY_TYPE = """
            SELECT format_type(a.atttypid, a.atttypmod) AS t FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND a.attname = ?""";

    private final Connection c;
    private final String schema;

    LayoutDiscovery(Connection c, String schema) {
        this.c = c;
        this.schema = schema;
    }

    private record Candidate(Layout layout, int score, List<String> reasons, Certainty certainty) {}

    Layout discover(Notes notes) throws SQLException {
        Map<String, List<Map<String, Object>>> jsonb = new LinkedHashMap<>();
        for (Map<String, Object> r : Sql.rows(c, JSONB_COLUMNS, schema)) {
            jsonb.computeIfAbsent(Sql.text(r, "tbl"), t -> new ArrayList<>()).add(r);
        }
        List<Candidate> candidates = new ArrayList<>(deltaTables(jsonb));
        candidates.addAll(sameRows(jsonb));
        if (candidates.isEmpty()) {
            throw new ConfigException("schema '" + schema + "'", List.of("no mirror + delta pattern found: no table "
                    + "has two jsonb columns, and no table with a jsonb column references (by a single-column foreign "
                    + "key) another table with a jsonb column" + (jsonb.isEmpty() ? "; the schema has no jsonb column "
                    + "at all (is --schema right?)" : "; jsonb columns seen: " + describe(jsonb))));
        }
        candidates.sort(Comparator.comparingInt(Candidate::score).reversed());
        Candidate best = candidates.get(0);
        Layout l = best.layout();
        best.reasons().forEach(r -> notes.add("documents", best.certainty(), r));
        for (Candidate other : candidates.subList(1, candidates.size())) {
            notes.plain("documents", "also seen, not chosen: " + other.layout().describe()
                    + " (edit documents to validate that one instead)");
            notes.todo("documents: several mirror + delta candidates; chose " + l.describe() + ", also seen "
                    + other.layout().describe());
        }
        notes.summary("documents: " + l.describe());
        return l;
    }

    private List<Candidate> deltaTables(Map<String, List<Map<String, Object>>> jsonb) throws SQLException {
        List<Candidate> out = new ArrayList<>();
        for (Map<String, Object> fk : Sql.rows(c, REFERENCES, schema)) {
            String deltaTable = Sql.text(fk, "delta_table");
            String mirrorTable = Sql.text(fk, "mirror_table");
            if (!jsonb.containsKey(deltaTable) || !jsonb.containsKey(mirrorTable)) {
                continue;
            }
            String record = Sql.text(fk, "record");
            String deltaColumn = pick(jsonb.get(deltaTable), true);
            String mirrorColumn = pick(jsonb.get(mirrorTable), false);
            List<String> reasons = new ArrayList<>();
            reasons.add(deltaTable + "." + record + " references " + mirrorTable + "." + Sql.text(fk, "mkey")
                    + " (foreign key " + Sql.text(fk, "name") + "), and both tables hold jsonb: " + deltaTable + "."
                    + deltaColumn + " is the delta, " + mirrorTable + "." + mirrorColumn + " the mirror");
            String owner = null;
            for (Map<String, Object> u : Sql.rows(c, UNIQUES, schema, deltaTable)) {
                List<String> cols = List.of(Sql.text(u, "cols").split(","));
                if (cols.size() == 1 && cols.get(0).equals(record)) {
                    reasons.add("no owner: " + record + " alone is unique (" + Sql.text(u, "name")
                            + "), so at most one delta per record");
                    owner = null;
                    break;
                }
                if (cols.size() == 2 && cols.contains(record) && owner == null) {
                    owner = cols.get(0).equals(record) ? cols.get(1) : cols.get(0);
                    reasons.add("owner " + owner + ": UNIQUE (" + String.join(", ", cols) + ") = "
                            + Sql.text(u, "name") + ", one delta per owner and record");
                }
            }
            if (owner == null && reasons.size() == 1) {
                reasons.add("no owner: no unique constraint pairs " + record + " with one other column, so 0..n "
                        + "deltas per record and none per user");
            }
            int score = 10 + Words.deltaScore(deltaTable + deltaColumn) - Words.deltaScore(mirrorTable + mirrorColumn);
            out.add(new Candidate(new Layout(mirrorTable, Sql.text(fk, "mkey"), Sql.text(fk, "key_type"),
                    mirrorColumn, deltaTable, record, owner, deltaColumn), score, reasons, Certainty.CERTAIN));
        }
        return out;
    }

    private List<Candidate> sameRows(Map<String, List<Map<String, Object>>> jsonb) throws SQLException {
        List<Candidate> out = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> e : jsonb.entrySet()) {
            if (e.getValue().size() < 2) {
                continue;
            }
            String table = e.getKey();
            String key = singleKey(table);
            if (key == null) {
                continue;
            }
            Map<String, Object> delta = e.getValue().stream().max(Comparator.comparingInt(LayoutDiscovery::deltaLean))
                    .orElseThrow();
            Map<String, Object> mirror = e.getValue().stream().filter(r -> r != delta)
                    .min(Comparator.comparingInt(LayoutDiscovery::deltaLean)).orElseThrow();
            String d = Sql.text(delta, "col");
            String m = Sql.text(mirror, "col");
            List<String> reasons = new ArrayList<>();
            reasons.add(table + " holds two jsonb columns on one row: " + m + " is the mirror, " + d + " the delta ("
                    + "by their names" + (!Sql.flag(delta, "notnull") && Sql.flag(mirror, "notnull")
                    ? " and nullability: the delta may be NULL, the mirror may not" : "") + "); key " + key);
            boolean named = Words.deltaScore(d) > 0 || Words.deltaScore(m) < 0;
            int score = 5 + Words.deltaScore(d) - Words.deltaScore(m);
            out.add(new Candidate(new Layout(table, key, keyType(table, key), m, null, null, null, d), score, reasons,
                    named ? Certainty.LIKELY : Certainty.GUESS));
        }
        return out;
    }

    /** A delta reads like one and may be NULL (no edits yet); a mirror is NOT NULL and reads like a mirror. */
    private static int deltaLean(Map<String, Object> column) {
        return 2 * Words.deltaScore(Sql.text(column, "col")) + (Sql.flag(column, "notnull") ? 0 : 1);
    }

    private static String pick(List<Map<String, Object>> columns, boolean delta) {
        Comparator<Map<String, Object>> lean = Comparator.comparingInt(LayoutDiscovery::deltaLean);
        return Sql.text(delta ? columns.stream().max(lean).orElseThrow() : columns.stream().min(lean).orElseThrow(),
                "col");
    }

    private String singleKey(String table) throws SQLException {
        for (Map<String, Object> u : Sql.rows(c, UNIQUES, schema, table)) {
            String cols = Sql.text(u, "cols");
            if (!cols.contains(",")) {
                return cols;
            }
        }
        return null;
    }

    private String keyType(String table, String column) throws SQLException {
        List<Map<String, Object>> r = Sql.rows(c, KEY_TYPE, schema, table, column);
        return r.isEmpty() ? "text" : Sql.text(r.get(0), "t");
    }

    private static String describe(Map<String, List<Map<String, Object>>> jsonb) {
        List<String> out = new ArrayList<>();
        jsonb.forEach((t, cols) -> cols.forEach(col -> out.add(t + "." + Sql.text(col, "col"))));
        return String.join(", ", out);
    }
}
