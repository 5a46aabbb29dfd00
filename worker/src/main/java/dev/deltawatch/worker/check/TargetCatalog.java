package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.TargetConfig.GeneratedColumn.Source;
import dev.deltawatch.worker.check.plan.ParameterizedSql;
import dev.deltawatch.worker.config.ConfigException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every identifier and type of a {@link TargetConfig} against the database catalog before any SQL uses it,
 * and returns them quoted. A name that is not in the catalog (a typo, or an injection attempt such as
 * {@code pfa_records; DROP TABLE x}) or a type that does not fit (a text version declared {@code integer}, a merge
 * function of three arguments) is reported with the field and what the catalog has instead; nothing is executed
 * with it. All lookups are bound parameters on {@code pg_catalog}.
 */
public final class TargetCatalog {
    private static final List<String> INTEGER_TYPES = List.of("smallint", "integer", "bigint");

    private final Connection c;
    private final TargetConfig config;
    private final String schema;
    private final List<String> problems = new ArrayList<>();

    private TargetCatalog(Connection c, TargetConfig config) {
        this.c = c;
        this.config = config;
        this.schema = config.schema();
    }

    public static ResolvedTarget resolve(Connection c, TargetConfig config) throws SQLException {
        return new TargetCatalog(c, config).resolve();
    }

    private ResolvedTarget resolve() throws SQLException {
        if (!CatalogQueries.exists(c, "SELECT 1 FROM pg_namespace WHERE nspname = ?", schema)) {
            problems.add("schema: no schema '" + schema + "'; the database has: "
                    + CatalogQueries.list(c, "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                    + "AND nspname <> 'information_schema' ORDER BY 1"));
            throw new ConfigException("target '" + config.name() + "'", problems);
        }
        TargetConfig.Documents docs = config.documents();
        Map<String, String> mirrorColumns = columns(docs.mirror().table(), "documents.mirror.table");
        Map<String, String> deltaColumns = docs.sameRow() ? mirrorColumns
                : columns(docs.delta().table(), "documents.delta.table");
        List<ResolvedTarget.Table> tables = new ArrayList<>();
        if (mirrorColumns != null) {
            tables.add(mirrorTable(docs, mirrorColumns));
        }
        if (!docs.sameRow() && deltaColumns != null) {
            tables.add(deltaTable(docs, deltaColumns, mirrorColumns));
        }
        checkVersion(docs, mirrorColumns, deltaColumns);
        String merge = resolveMerge();
        String write = resolveWrite();
        checkDraws();
        ResolvedTarget.InputDomain domain = mirrorColumns == null || deltaColumns == null
                ? ResolvedTarget.InputDomain.unconstrained() : InputDomains.read(c, schema, docs);
        if (!problems.isEmpty()) {
            throw new ConfigException("target '" + config.name() + "'", problems);
        }
        return new ResolvedTarget(config, SqlIdentifiers.quote(schema), List.copyOf(tables),
                MergeCall.of(config.merge(), merge), write, domain);
    }

    private ResolvedTarget.Table mirrorTable(TargetConfig.Documents docs, Map<String, String> columns) {
        TargetConfig.Mirror m = docs.mirror();
        boolean sameRow = docs.sameRow();
        column(columns, m.table(), m.key(), "documents.mirror.key");
        jsonb(columns, m.table(), m.column(), "documents.mirror.column");
        if (sameRow) {
            jsonb(columns, m.table(), docs.delta().column(), "documents.delta.column");
        }
        boolean versionHere = sameRow || docs.version().on() == TargetConfig.Version.Side.MIRROR;
        return new ResolvedTarget.Table(m.table(), sameRow ? ResolvedTarget.Role.SAME_ROW : ResolvedTarget.Role.MIRROR,
                SqlIdentifiers.qualified(schema, m.table()), m.key(), SqlIdentifiers.quote(m.key()),
                columns.getOrDefault(m.key(), "text"), SqlIdentifiers.quote(m.column()),
                sameRow ? SqlIdentifiers.quote(docs.delta().column()) : null, sameRow ? docs.delta().column() : null,
                null, versionHere ? SqlIdentifiers.quote(docs.version().column()) : null,
                generated(docs, columns, m.table(), sameRow ? null : Source.DELTA, false));
    }

    private ResolvedTarget.Table deltaTable(TargetConfig.Documents docs, Map<String, String> columns,
                                            Map<String, String> mirrorColumns) throws SQLException {
        TargetConfig.Delta d = docs.delta();
        String recordType = column(columns, d.table(), d.record(), "documents.delta.record");
        jsonb(columns, d.table(), d.column(), "documents.delta.column");
        String keyType = mirrorColumns == null ? null : mirrorColumns.get(docs.mirror().key());
        if (recordType != null && keyType != null && !recordType.equals(keyType)) {
            problems.add("documents.delta.record: column '" + d.record() + "' of '" + d.table() + "' is " + recordType
                    + " but the mirror's key '" + docs.mirror().key() + "' is " + keyType
                    + "; the record column must reference the mirror's key");
        }
        if (d.owner() != null && column(columns, d.table(), d.owner(), "documents.delta.owner") != null
                && recordType != null && !InputDomains.uniqueOn(c, schema, d.table(), d.owner(), d.record())) {
            problems.add("documents.delta.owner: table '" + d.table() + "' has no unique constraint or index on exactly ("
                    + d.owner() + ", " + d.record() + "); one delta per owner and record needs UNIQUE(" + d.owner()
                    + ", " + d.record() + ")");
        }
        boolean versionHere = docs.version().on() == TargetConfig.Version.Side.DELTA;
        return new ResolvedTarget.Table(d.table(), ResolvedTarget.Role.DELTA, SqlIdentifiers.qualified(schema, d.table()),
                d.record(), SqlIdentifiers.quote(d.record()), recordType, null, SqlIdentifiers.quote(d.column()),
                d.column(), d.owner() == null ? null : SqlIdentifiers.quote(d.owner()),
                versionHere ? SqlIdentifiers.quote(docs.version().column()) : null,
                generated(docs, columns, d.table(), Source.DELTA, true));
    }

    /** The generated columns that live on this table: those of {@code source} when {@code only}, else all others. */
    private List<ResolvedTarget.Generated> generated(TargetConfig.Documents docs, Map<String, String> columns,
                                                     String table, Source source, boolean only) {
        List<ResolvedTarget.Generated> out = new ArrayList<>();
        List<TargetConfig.GeneratedColumn> all = docs.generatedColumns();
        for (int g = 0; g < all.size(); g++) {
            TargetConfig.GeneratedColumn gc = all.get(g);
            if ((gc.source() == source) != only) {
                continue;
            }
            String field = "documents.generatedColumns[" + g + "]";
            if (gc.source() == Source.MERGED && !docs.sameRow()) {
                problems.add(field + ".source: 'merged' needs mirror and delta on one row; with a delta table a "
                        + "generated column can only read the mirror or the delta");
            } else if (column(columns, table, gc.column(), field + ".column") != null) {
                out.add(new ResolvedTarget.Generated(gc, SqlIdentifiers.quote(gc.column())));
            }
        }
        return List.copyOf(out);
    }

    /** Every {@code queries[i].drawFrom[k]} names a column of a table of the schema, for a {@code $n} the SQL has. */
    private void checkDraws() throws SQLException {
        List<TargetConfig.RegisteredQuery> queries = config.queries();
        for (int i = 0; i < queries.size(); i++) {
            TargetConfig.RegisteredQuery q = queries.get(i);
            if (q.drawFrom().isEmpty()) {
                continue;
            }
            int parameters;
            try {
                parameters = ParameterizedSql.of(q.sql()).parameterCount();
            } catch (IllegalArgumentException e) {
                problems.add("queries[" + i + "].sql: " + e.getMessage());
                continue;
            }
            for (int k = 0; k < q.drawFrom().size(); k++) {
                String drawn = q.drawFrom().get(k);
                String field = "queries[" + i + "].drawFrom[" + k + "]";
                if (drawn == null) {
                    continue;
                }
                if (k >= parameters) {
                    problems.add(field + ": query '" + q.name() + "' has " + parameters + " parameter(s), so there is"
                            + " no $" + (k + 1) + " to draw");
                    continue;
                }
                String table = drawn.substring(0, drawn.indexOf('.'));
                column(columns(table, field), table, drawn.substring(drawn.indexOf('.') + 1), field);
            }
        }
    }

    private void checkVersion(TargetConfig.Documents docs, Map<String, String> mirrorColumns,
                              Map<String, String> deltaColumns) {
        TargetConfig.Version v = docs.version();
        boolean onMirror = docs.sameRow() || v.on() == TargetConfig.Version.Side.MIRROR;
        Map<String, String> columns = onMirror ? mirrorColumns : deltaColumns;
        String table = onMirror ? docs.mirror().table() : docs.delta().table();
        if (columns == null) {
            return;
        }
        String type = column(columns, table, v.column(), "documents.version.column");
        if (type != null && v.kind() == TargetConfig.Version.Kind.INTEGER && !INTEGER_TYPES.contains(type)) {
            problems.add("documents.version.kind: column '" + v.column() + "' of '" + table + "' is " + type
                    + ", not an integer; declare kind: token for a version compared for change only");
        }
        if (v.firstWriteCreates() && docs.sameRow()) {
            problems.add("documents.version.firstWriteCreates: only a delta table can create a document's delta on "
                    + "its first write");
        }
    }

    private String resolveMerge() throws SQLException {
        TargetConfig.Merge m = config.merge();
        if (m.concatOperator()) {
            return null;
        }
        return resolveFunction(m.function(), "merge.function", 2, "jsonb");
    }

    private String resolveWrite() throws SQLException {
        TargetConfig.Write w = config.write();
        if (w == null) {
            return null;
        }
        if (w.statement() != null) {
            problems.addAll(WriteStatement.problems(w.statement(), config.documents()));
            return null;
        }
        return resolveFunction(w.function(), "write.function", w.arguments().size(), null);
    }

    /** A function of {@code arity} arguments (all of {@code argType} when given), quoted; null after a problem. */
    private String resolveFunction(String name, String field, int arity, String argType) throws SQLException {
        List<String> signatures = CatalogQueries.strings(c, "SELECT pg_get_function_identity_arguments(p.oid) "
                + "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ? AND p.proname = ?",
                schema, name);
        if (signatures.isEmpty()) {
            problems.add(field + ": no function '" + name + "' in schema '" + schema + "'; it has: "
                    + CatalogQueries.list(c, "SELECT DISTINCT p.proname FROM pg_proc p JOIN pg_namespace n "
                    + "ON n.oid = p.pronamespace WHERE n.nspname = ? ORDER BY 1", schema));
            return null;
        }
        // Arguments with defaults may follow the declared ones (the reference write function has an optional actor).
        boolean fits = CatalogQueries.exists(c, "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                + "WHERE n.nspname = ? AND p.proname = ? AND p.pronargs >= ? AND p.pronargs - p.pronargdefaults <= ? "
                + "AND (? IS NULL OR (SELECT bool_and(t.oid = 'jsonb'::regtype) FROM unnest(p.proargtypes::oid[]) "
                + "WITH ORDINALITY AS t(oid, n) WHERE t.n <= ?) AND p.prorettype = 'jsonb'::regtype)",
                schema, name, arity, arity, argType, arity);
        if (!fits) {
            problems.add(field + ": function '" + name + "' takes (" + String.join("), (", signatures) + "); the config "
                    + "declares " + arity + " argument(s)" + (argType == null ? "" : " of type " + argType
                    + " returning " + argType));
            return null;
        }
        return SqlIdentifiers.qualified(schema, name);
    }

    /** A table's columns and their types, or null (with a problem) when the table is missing. */
    private Map<String, String> columns(String table, String field) throws SQLException {
        if (!CatalogQueries.exists(c, "SELECT 1 FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace "
                + "WHERE n.nspname = ? AND r.relname = ? AND r.relkind IN ('r', 'p')", schema, table)) {
            problems.add(field + ": no table '" + table + "' in schema '" + schema + "'; it has: "
                    + CatalogQueries.list(c, "SELECT r.relname FROM pg_class r JOIN pg_namespace n ON n.oid = "
                    + "r.relnamespace WHERE n.nspname = ? AND r.relkind IN ('r', 'p') ORDER BY 1", schema));
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod) "
                + "FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = "
                + "r.relnamespace WHERE n.nspname = ? AND r.relname = ? AND a.attnum > 0 AND NOT a.attisdropped "
                + "ORDER BY a.attnum")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** The column's type, or null with a problem naming the field when the table has no such column. */
    private String column(Map<String, String> columns, String table, String column, String field) {
        if (columns == null) {
            return null;
        }
        if (!columns.containsKey(column)) {
            problems.add(field + ": table '" + table + "' has no column '" + column + "'; it has: "
                    + String.join(", ", columns.keySet()));
            return null;
        }
        return columns.get(column);
    }

    private void jsonb(Map<String, String> columns, String table, String column, String field) {
        String type = column(columns, table, column, field);
        if (type != null && !type.equals("jsonb")) {
            problems.add(field + ": column '" + column + "' of '" + table + "' is " + type + ", not jsonb");
        }
    }
}
