package dev.deltawatch.worker.capture;

import dev.deltawatch.contracts.SchemaChange;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The polling mode's view of the catalog: one entry per index, trigger and column of the watched tables and per
 * function in their schemas, each with an md5 of its definition (columns: type, NOT NULL, default or generated
 * expression), and one per watched table for the replica identity capture relies on. Identities are {@code pg_identify_object}'s, the same an event trigger reports.
 */
final class CatalogFingerprint {

    /** One catalog object: its type, schema, table (null for functions) and definition hash. */
    record Entry(String objectType, String schemaName, String tableName, String definitionHash) {}

    private static final String QUERY = """
            WITH t AS (SELECT c.oid, n.nspname, format('%I.%I', n.nspname, c.relname) AS tbl
                         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ANY (?))
            SELECT 'index', (pg_identify_object('pg_class'::regclass, i.indexrelid, 0)).identity, t.nspname, t.tbl,
                   md5(pg_get_indexdef(i.indexrelid))
              FROM pg_index i JOIN t ON t.oid = i.indrelid
            UNION ALL
            SELECT 'trigger', (pg_identify_object('pg_trigger'::regclass, g.oid, 0)).identity, t.nspname, t.tbl,
                   md5(pg_get_triggerdef(g.oid))
              FROM pg_trigger g JOIN t ON t.oid = g.tgrelid WHERE NOT g.tgisinternal
            UNION ALL
            SELECT 'table column', (pg_identify_object('pg_class'::regclass, a.attrelid, a.attnum)).identity,
                   t.nspname, t.tbl, md5(concat_ws(' ', format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   a.attgenerated, pg_get_expr(d.adbin, d.adrelid)))
              FROM pg_attribute a JOIN t ON t.oid = a.attrelid
              LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attnum > 0 AND NOT a.attisdropped
            UNION ALL
            SELECT 'table', (pg_identify_object('pg_class'::regclass, t.oid, 0)).identity, t.nspname, t.tbl,
                   md5('replica identity ' || c.relreplident::text)
              FROM t JOIN pg_class c ON c.oid = t.oid
            UNION ALL
            SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
                   (pg_identify_object('pg_proc'::regclass, p.oid, 0)).identity, n.nspname, NULL,
                   md5(pg_get_functiondef(p.oid))
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE p.prokind IN ('f', 'p') AND n.nspname IN (SELECT nspname FROM t)""";

    private CatalogFingerprint() {}

    static Map<String, Entry> read(Connection c, List<WatchedTable> tables) throws SQLException {
        Map<String, Entry> entries = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(QUERY)) {
            Array oids = c.createArrayOf("oid", tables.stream().map(WatchedTable::oid).toArray());
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.put(rs.getString(2), new Entry(rs.getString(1), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        return entries;
    }

    /** What changed from {@code before} to {@code after}, as schema changes, in identity order. */
    static List<SchemaChange> diff(Map<String, Entry> before, Map<String, Entry> after) {
        List<SchemaChange> changes = new ArrayList<>();
        Map<String, Entry> all = new TreeMap<>(before);
        all.putAll(after);
        for (var e : all.entrySet()) {
            Entry was = before.get(e.getKey());
            Entry now = after.get(e.getKey());
            if (Objects.equals(was, now)) {
                continue;
            }
            String verb = was == null ? "CREATE" : now == null ? "DROP" : "ALTER";
            Entry entry = now != null ? now : was;
            changes.add(new SchemaChange(tag(verb, entry.objectType()), entry.objectType(), e.getKey(),
                    entry.schemaName(), entry.tableName(), now == null ? null : now.definitionHash()));
        }
        return changes;
    }

    /** The command tag an event trigger would most likely have reported for the difference. */
    private static String tag(String verb, String objectType) {
        if (objectType.equals("table column")) {
            return "ALTER TABLE";
        }
        if (verb.equals("ALTER") && (objectType.equals("function") || objectType.equals("procedure"))) {
            return "CREATE OR REPLACE " + objectType.toUpperCase(Locale.ROOT);
        }
        return verb + " " + objectType.toUpperCase(Locale.ROOT);
    }
}
