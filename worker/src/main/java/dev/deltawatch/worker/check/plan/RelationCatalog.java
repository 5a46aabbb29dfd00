package dev.deltawatch.worker.check.plan;

import dev.deltawatch.worker.check.CheckContext;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks up {@link RelationFacts} for the relations plans read, once per relation per audit (the audit creates one
 * catalog and drops it after). All lookups bind the names as values against {@code pg_catalog}; nothing here
 * builds SQL from a name. Not thread-safe.
 */
public final class RelationCatalog {
    private static final String RELATION = "SELECT c.oid, c.reltuples, pg_total_relation_size(c.oid) FROM pg_class c "
            + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
    private static final String COLUMNS = "SELECT a.attname, a.attgenerated = 's', pg_get_expr(d.adbin, d.adrelid) "
            + "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            + "WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
    private static final String INDEXES = "SELECT ic.relname, pg_get_indexdef(x.indexrelid, k.n, false) "
            + "FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid "
            + "CROSS JOIN LATERAL generate_series(1, x.indnkeyatts) AS k(n) "
            + "WHERE x.indrelid = ? AND x.indisvalid ORDER BY ic.relname, k.n";
    private static final String PREDICATES = "SELECT ic.relname, pg_get_expr(x.indpred, x.indrelid) "
            + "FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid "
            + "WHERE x.indrelid = ? AND x.indisvalid AND x.indpred IS NOT NULL";
    private static final String STATS = "SELECT attname, n_distinct, most_common_freqs, null_frac FROM pg_stats "
            + "WHERE schemaname = ? AND tablename = ?";

    private final CheckContext context;
    private final Map<String, RelationFacts> cache = new HashMap<>();
    private String[] session;

    public RelationCatalog(CheckContext context) {
        this.context = context;
    }

    /** A catalog that answers from {@code facts} (keyed {@code schema.name}) only, for unit tests of rules. */
    static RelationCatalog fixed(Map<String, RelationFacts> facts, String currentUser, String workMem) {
        RelationCatalog catalog = new RelationCatalog(null);
        facts.forEach((name, f) -> catalog.cache.put(f.schema() + "\u001f" + f.name(), f));
        catalog.session = new String[] {currentUser, workMem};
        return catalog;
    }

    /** Facts of {@code schema.name}, or {@code null} when the relation is gone (dropped since the plan ran). */
    public RelationFacts relation(String schema, String name) throws SQLException {
        String key = schema + "\u001f" + name;
        if (!cache.containsKey(key) && context != null) {
            try (Connection c = context.connect(true)) {
                cache.put(key, load(c, schema, name));
                c.rollback();
            }
        }
        return cache.get(key);
    }

    /** The relation a scan node reads, or {@code null} for nodes without one. */
    public RelationFacts relation(PlanNode node) throws SQLException {
        return node.relation() == null ? null : relation(node.schema() == null ? "public" : node.schema(), node.relation());
    }

    /** {@code [current_user, work_mem]} of the audit's sessions, for fixes that name the role and the setting. */
    public String[] session() throws SQLException {
        if (session == null) {
            try (Connection c = context.connect(true);
                 PreparedStatement ps = c.prepareStatement("SELECT current_user, current_setting('work_mem')");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                session = new String[] {rs.getString(1), rs.getString(2)};
                c.rollback();
            }
        }
        return session;
    }

    private static RelationFacts load(Connection c, String schema, String name) throws SQLException {
        long oid;
        double reltuples;
        long bytes;
        try (PreparedStatement ps = c.prepareStatement(RELATION)) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                oid = rs.getLong(1);
                reltuples = rs.getDouble(2);
                bytes = rs.getLong(3);
            }
        }
        List<String> columns = new ArrayList<>();
        Map<String, String> generated = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                    if (rs.getBoolean(2)) {
                        generated.put(rs.getString(1), rs.getString(3));
                    }
                }
            }
        }
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(INDEXES)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(unquote(rs.getString(2)));
                }
            }
        }
        Map<String, String> predicates = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(PREDICATES)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    predicates.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return new RelationFacts(schema, name, reltuples, bytes, List.copyOf(columns), generated, indexes,
                stats(c, schema, name), predicates);
    }

    private static Map<String, RelationFacts.ColumnStats> stats(Connection c, String schema, String name)
            throws SQLException {
        Map<String, RelationFacts.ColumnStats> stats = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(STATS)) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Double> freqs = new ArrayList<>();
                    Array arr = rs.getArray(3);
                    if (arr != null) {
                        for (Object f : (Object[]) arr.getArray()) {
                            freqs.add(((Number) f).doubleValue());
                        }
                    }
                    stats.put(rs.getString(1), new RelationFacts.ColumnStats(rs.getDouble(2), freqs, rs.getDouble(4)));
                }
            }
        }
        return stats;
    }

    /** {@code pg_get_indexdef} quotes a column name only when it must; the bare name is what we compare. */
    private static String unquote(String def) {
        if (def.length() > 1 && def.startsWith("\"") && def.endsWith("\"")) {
            return def.substring(1, def.length() - 1).replace("\"\"", "\"");
        }
        return def;
    }
}
