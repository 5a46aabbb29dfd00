package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.TargetConfig;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Reads from the catalog what mirror and delta columns may hold: NOT NULL, and a CHECK constraint that pins the
 * column to objects ({@code jsonb_typeof(col) = 'object'}). Merge cases the schema forbids cannot happen in the
 * target, so the battery skips them and says why instead of reporting them.
 */
final class InputDomains {
    private InputDomains() {}

    static ResolvedTarget.InputDomain read(Connection c, String schema, TargetConfig.Documents docs) throws SQLException {
        String deltaTable = docs.sameRow() ? docs.mirror().table() : docs.delta().table();
        return new ResolvedTarget.InputDomain(
                notNull(c, schema, docs.mirror().table(), docs.mirror().column()),
                objectOnly(c, schema, docs.mirror().table(), docs.mirror().column()),
                notNull(c, schema, deltaTable, docs.delta().column()),
                objectOnly(c, schema, deltaTable, docs.delta().column()));
    }

    /** Whether a unique constraint or unique index covers exactly these two columns, in any order. */
    static boolean uniqueOn(Connection c, String schema, String table, String a, String b) throws SQLException {
        return CatalogQueries.exists(c, "SELECT 1 FROM pg_index i JOIN pg_class r ON r.oid = i.indrelid "
                + "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ? AND r.relname = ? "
                + "AND i.indisunique AND i.indpred IS NULL AND i.indnatts = 2 AND (SELECT array_agg(a.attname::text "
                + "ORDER BY a.attname) FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum = ANY (i.indkey)) "
                // Typed: untyped parameters in ARRAY[...] arrive as varchar[], which text[] does not compare with.
                + "= (SELECT array_agg(x ORDER BY x) FROM unnest(ARRAY[CAST(? AS text), CAST(? AS text)]) x)",
                schema, table, a, b);
    }

    private static boolean notNull(Connection c, String schema, String table, String column) throws SQLException {
        return CatalogQueries.exists(c, "SELECT 1 FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid "
                + "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ? AND r.relname = ? "
                + "AND a.attname = ? AND a.attnotnull", schema, table, column);
    }

    /** A validated CHECK on this column alone whose text says jsonb_typeof(column) = 'object'. */
    private static boolean objectOnly(Connection c, String schema, String table, String column) throws SQLException {
        return CatalogQueries.exists(c, "SELECT 1 FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid "
                + "JOIN pg_namespace n ON n.oid = r.relnamespace JOIN pg_attribute a ON a.attrelid = r.oid "
                + "AND a.attnum = k.conkey[1] WHERE n.nspname = ? AND r.relname = ? AND a.attname = ? "
                + "AND k.contype = 'c' AND k.convalidated AND cardinality(k.conkey) = 1 "
                + "AND strpos(regexp_replace(pg_get_constraintdef(k.oid), '[\\s()\"]', '', 'g'), "
                + "'jsonb_typeof' || regexp_replace(?, '[\\s()\"]', '', 'g') || '=''object''::text') > 0",
                schema, table, column, column);
    }
}
