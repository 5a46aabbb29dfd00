package dev.deltawatch.worker.discover;

import dev.deltawatch.contracts.TargetConfig.Version;
import dev.deltawatch.worker.config.ConfigException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Finds the optimistic-locking version: the column the write function compares with the expected version (integer
 * when it is of an integer type, a token otherwise), else an integer column named like a version on the delta's
 * table then the mirror's, else a timestamp column named like an update time (a token, a guess).
 */
final class VersionDiscovery {
    private static final List<String> INTEGER = List.of("smallint", "integer", "bigint");
    private static final String COLUMNS = """
            SELECT a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
             ORDER BY a.attnum""";

    private VersionDiscovery() {}

    static Version discover(Connection c, String schema, Layout layout, WritePathDiscovery.Found write, Notes notes)
            throws SQLException {
        Version.Side side = layout.sameRow() ? Version.Side.MIRROR : Version.Side.DELTA;
        boolean firstWriteCreates = !layout.sameRow();
        if (!layout.sameRow()) {
            notes.add("documents.version.firstWriteCreates", Certainty.LIKELY, "deltas live in their own table, so "
                    + "a document's first write inserts its delta (version 0 -> its first value)");
        }
        if (write.versionColumn() != null) {
            String type = typeOf(c, schema, layout.deltaHome(), write.versionColumn());
            if (type == null && !layout.sameRow()) {
                type = typeOf(c, schema, layout.mirrorTable(), write.versionColumn());
                side = Version.Side.MIRROR;
            }
            boolean integer = INTEGER.contains(type);
            notes.add("documents.version", Certainty.LIKELY, write.function() + " compares " + write.versionColumn()
                    + " (" + type + ") with the expected version" + (integer ? (write.bumpsByOne()
                    ? " and bumps it by one" : write.write().statement() != null ? "; its step is a constant "
                    + "pg_stat_statements hid, written as 1 (a guess, see write.statement)"
                    : "; no '+ 1' seen in its body, check the step") : " and moves it: a "
                    + "token, compared for change only"));
            notes.summary("version: " + write.versionColumn() + " (" + (integer ? "integer" : "token") + ")");
            return new Version(side, write.versionColumn(), integer ? Version.Kind.INTEGER : Version.Kind.TOKEN,
                    firstWriteCreates);
        }
        for (String table : layout.sameRow() ? List.of(layout.mirrorTable())
                : List.of(layout.deltaTable(), layout.mirrorTable())) {
            for (Map<String, Object> col : Sql.rows(c, COLUMNS, schema, table)) {
                if (INTEGER.contains(Sql.text(col, "type")) && Words.version(Sql.text(col, "col"))) {
                    Version.Side on = table.equals(layout.mirrorTable()) ? Version.Side.MIRROR : Version.Side.DELTA;
                    notes.add("documents.version", Certainty.LIKELY, table + "." + Sql.text(col, "col") + " is an "
                            + Sql.text(col, "type") + " named like a version (no write function to confirm it)");
                    notes.summary("version: " + Sql.text(col, "col") + " (integer, by its name)");
                    return new Version(on, Sql.text(col, "col"), Version.Kind.INTEGER, firstWriteCreates);
                }
            }
        }
        for (Map<String, Object> col : Sql.rows(c, COLUMNS, schema, layout.deltaHome())) {
            String name = Sql.text(col, "col");
            if (Sql.text(col, "type").startsWith("timestamp") && name.matches("(?i).*(updated|modified|changed).*")) {
                notes.add("documents.version", Certainty.GUESS, layout.deltaHome() + "." + name + " ("
                        + Sql.text(col, "type") + ") reads like an update time: taken as a token");
                notes.todo("documents.version: no version column and no write function; " + name + " taken as a "
                        + "token version");
                notes.summary("version: " + name + " (token, a guess)");
                return new Version(side, name, Version.Kind.TOKEN, firstWriteCreates);
            }
        }
        throw new ConfigException("schema '" + schema + "'", List.of("found " + layout.describe() + " but no version "
                + "column for optimistic locking: no write function compares one, no integer column of "
                + layout.deltaHome() + " is named like a version, no timestamp column like an update time"));
    }

    static String typeOf(Connection c, String schema, String table, String column) throws SQLException {
        for (Map<String, Object> col : Sql.rows(c, COLUMNS, schema, table)) {
            if (Sql.text(col, "col").equals(column)) {
                return Sql.text(col, "type");
            }
        }
        return null;
    }

    /** Every column of a table or view, generated ones included. */
    static List<String> columnsWithGenerated(Connection c, String schema, String table) throws SQLException {
        return Sql.rows(c, COLUMNS.replace(" AND a.attgenerated = ''", ""), schema, table).stream()
                .map(r -> Sql.text(r, "col")).toList();
    }
}
