package dev.deltawatch.worker.discover;

import dev.deltawatch.contracts.TargetConfig.Probes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Where probes may write. With an owner, deltas under the probe owner against existing records (the defaults). Without
 * one, probe rows of the mirror's table, tagged in a text column: preferably one referencing a parent table (the
 * probes create the parent row), NOT NULL, not part of the key; a key template where the key has no default.
 */
final class ProbeDiscovery {
    private static final String TEXT_COLUMNS = """
            SELECT a.attname AS col, a.attnotnull AS notnull,
                   EXISTS (SELECT 1 FROM pg_constraint f WHERE f.conrelid = a.attrelid AND f.contype = 'f'
                            AND f.conkey = ARRAY[a.attnum]) AS references_parent
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
               AND a.atttypid IN ('text'::regtype, 'varchar'::regtype) AND a.attname <> ?
             ORDER BY 3 DESC, 2 DESC, a.attnum""";
    private static final String KEY_DEFAULT = """
            SELECT a.atthasdef OR a.attidentity <> '' AS has_default
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ? AND a.attname = ?""";

    private ProbeDiscovery() {}

    static Probes discover(Connection c, String schema, Layout layout, Notes notes) throws SQLException {
        if (layout.owner() != null) {
            notes.add("probes", Certainty.CERTAIN, "probes write deltas under the owner '" + Probes.DEFAULT_NAMESPACE
                    + "' against existing records, never into the mirror");
            return new Probes(null, null, Probes.DEFAULT_NAMESPACE, null);
        }
        List<Map<String, Object>> columns = Sql.rows(c, TEXT_COLUMNS, schema, layout.mirrorTable(), layout.key());
        if (columns.isEmpty()) {
            notes.add("probes", Certainty.GUESS, layout.mirrorTable() + " has no text column to tag probe rows with");
            notes.todo("probes.column: name a text column of " + layout.mirrorTable() + " that can hold the probe "
                    + "namespace; the lock and edge probes cannot run without one");
            return Probes.defaults();
        }
        Map<String, Object> pick = columns.get(0);
        String column = Sql.text(pick, "col");
        notes.add("probes", Certainty.LIKELY, "no owner column, so probes make rows of their own in "
                + layout.mirrorTable() + " tagged " + column + " = '" + Probes.DEFAULT_NAMESPACE + "'"
                + (Sql.flag(pick, "references_parent") ? " (it references a parent table: probes create that row)"
                : ""));
        String template = null;
        List<Map<String, Object>> key = Sql.rows(c, KEY_DEFAULT, schema, layout.mirrorTable(), layout.key());
        if (!key.isEmpty() && !Sql.flag(key.get(0), "has_default")) {
            if (!layout.keyType().startsWith("text") && !layout.keyType().startsWith("character")) {
                notes.todo("probes.keyTemplate: " + layout.mirrorTable() + "." + layout.key() + " ("
                        + layout.keyType() + ") has no default; give probe rows a key template");
                return new Probes(column, Probes.DEFAULT_NAMESPACE, null, null);
            }
            template = Probes.DEFAULT_NAMESPACE + "-{n}";
            notes.add("probes.keyTemplate", Certainty.GUESS, layout.mirrorTable() + "." + layout.key() + " has no "
                    + "default: probe rows take keys from this template");
        }
        return new Probes(column, Probes.DEFAULT_NAMESPACE, null, template);
    }
}
