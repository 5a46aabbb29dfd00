package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.config.ConfigException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks every identifier of a {@link TargetConfig} against the database catalog before any SQL uses it, and
 * returns them quoted. A name that is not in the catalog (a typo, or an injection attempt such as
 * {@code pfa_records; DROP TABLE x}) is reported with the field and what the catalog has instead; nothing is
 * executed with it. All lookups are bound parameters on {@code pg_catalog}.
 */
public final class TargetCatalog {
    private TargetCatalog() {}

    public static ResolvedTarget resolve(Connection c, TargetConfig config) throws SQLException {
        List<String> problems = new ArrayList<>();
        String schema = config.schema();
        if (!exists(c, "SELECT 1 FROM pg_namespace WHERE nspname = ?", schema)) {
            problems.add("schema: no schema '" + schema + "'; the database has: "
                    + list(c, "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                    + "AND nspname <> 'information_schema' ORDER BY 1"));
            throw new ConfigException("target '" + config.name() + "'", problems);
        }
        List<ResolvedTarget.Table> tables = new ArrayList<>();
        for (int i = 0; i < config.tables().size(); i++) {
            ResolvedTarget.Table t = resolveTable(c, schema, config.tables().get(i), "tables[" + i + "]", problems);
            if (t != null) {
                tables.add(t);
            }
        }
        String merge = resolveFunction(c, schema, config.merge().function(), "merge.function", problems);
        String write = config.write() == null ? null
                : resolveFunction(c, schema, config.write().function(), "write.function", problems);
        if (!problems.isEmpty()) {
            throw new ConfigException("target '" + config.name() + "'", problems);
        }
        return new ResolvedTarget(config, SqlIdentifiers.quote(schema), List.copyOf(tables), merge, write);
    }

    private static ResolvedTarget.Table resolveTable(Connection c, String schema, TargetConfig.WatchedTable t,
                                                     String field, List<String> problems) throws SQLException {
        if (!exists(c, "SELECT 1 FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace "
                + "WHERE n.nspname = ? AND r.relname = ? AND r.relkind IN ('r', 'p')", schema, t.name())) {
            problems.add(field + ".name: no table '" + t.name() + "' in schema '" + schema + "'; it has: "
                    + list(c, "SELECT r.relname FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace "
                    + "WHERE n.nspname = ? AND r.relkind IN ('r', 'p') ORDER BY 1", schema));
            return null;
        }
        String columnsSql = "SELECT a.attname FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid "
                + "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ? AND r.relname = ? "
                + "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
        List<String> columns = strings(c, columnsSql, schema, t.name());
        String[][] wanted = {{"keyColumn", t.keyColumn()}, {"mirrorColumn", t.mirrorColumn()},
                {"deltaColumn", t.deltaColumn()}, {"versionColumn", t.versionColumn()}};
        for (String[] w : wanted) {
            if (!columns.contains(w[1])) {
                problems.add(field + "." + w[0] + ": table '" + t.name() + "' has no column '" + w[1]
                        + "'; it has: " + String.join(", ", columns));
            }
        }
        List<ResolvedTarget.Generated> generated = new ArrayList<>();
        for (int g = 0; g < t.generatedColumns().size(); g++) {
            TargetConfig.GeneratedColumn gc = t.generatedColumns().get(g);
            if (!columns.contains(gc.column())) {
                problems.add(field + ".generatedColumns[" + g + "].column: table '" + t.name()
                        + "' has no column '" + gc.column() + "'; it has: " + String.join(", ", columns));
            } else {
                generated.add(new ResolvedTarget.Generated(gc, SqlIdentifiers.quote(gc.column())));
            }
        }
        return new ResolvedTarget.Table(t, SqlIdentifiers.qualified(schema, t.name()),
                SqlIdentifiers.quote(t.keyColumn()), SqlIdentifiers.quote(t.mirrorColumn()),
                SqlIdentifiers.quote(t.deltaColumn()), SqlIdentifiers.quote(t.versionColumn()), List.copyOf(generated));
    }

    private static String resolveFunction(Connection c, String schema, String name, String field,
                                          List<String> problems) throws SQLException {
        if (!exists(c, "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                + "WHERE n.nspname = ? AND p.proname = ?", schema, name)) {
            problems.add(field + ": no function '" + name + "' in schema '" + schema + "'; it has: "
                    + list(c, "SELECT DISTINCT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    + "WHERE n.nspname = ? ORDER BY 1", schema));
            return null;
        }
        return SqlIdentifiers.qualified(schema, name);
    }

    private static boolean exists(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), args); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static List<String> strings(Connection c, String sql, String... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = bind(c.prepareStatement(sql), args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String list(Connection c, String sql, String... args) throws SQLException {
        List<String> names = strings(c, sql, args);
        return names.isEmpty() ? "(nothing)" : String.join(", ", names);
    }

    private static PreparedStatement bind(PreparedStatement ps, String... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setString(i + 1, args[i]);
        }
        return ps;
    }
}
