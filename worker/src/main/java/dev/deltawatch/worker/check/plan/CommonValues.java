package dev.deltawatch.worker.check.plan;

import dev.deltawatch.worker.check.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter set a query's {@code drawFrom} asks for: each drawn {@code $n} takes the most common value of its
 * column as the data is now, read from a sample of the table rather than from {@code pg_stats}, which is what goes
 * stale. The columns of one table are drawn as one combination (the most common tuple), so combined predicates
 * match rows. The sample is about {@value #SAMPLE_ROWS} rows of whole pages ({@code TABLESAMPLE SYSTEM},
 * {@code REPEATABLE} so that audits of unchanged data draw alike), at most {@value #SCANNED_ROWS} read.
 */
final class CommonValues {
    static final int SAMPLE_ROWS = 20_000;
    static final int SCANNED_ROWS = 50_000;
    private static final String ESTIMATED_ROWS = "SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)";

    private CommonValues() {}

    /**
     * The first configured set with its drawn positions replaced, or null when a table has no row with every drawn
     * column set (nothing to draw).
     */
    static List<Object> draw(Connection c, String schema, AuditQuery query) throws SQLException {
        List<Object> set = new ArrayList<>(query.params().get(0));
        Map<String, List<Integer>> byTable = new LinkedHashMap<>();
        for (int k = 0; k < query.drawFrom().size(); k++) {
            String column = query.drawFrom().get(k);
            if (column != null) {
                byTable.computeIfAbsent(column.substring(0, column.indexOf('.')), t -> new ArrayList<>()).add(k);
            }
        }
        for (Map.Entry<String, List<Integer>> e : byTable.entrySet()) {
            List<String> columns = e.getValue().stream().map(k -> {
                String qualified = query.drawFrom().get(k);
                return SqlIdentifiers.quote(qualified.substring(qualified.indexOf('.') + 1));
            }).toList();
            List<String> values = mostCommon(c, SqlIdentifiers.qualified(schema, e.getKey()), columns);
            if (values == null) {
                return null;
            }
            for (int i = 0; i < columns.size(); i++) {
                int k = e.getValue().get(i);
                while (set.size() <= k) {
                    set.add(null);
                }
                set.set(k, values.get(i));
            }
        }
        return set;
    }

    private static List<String> mostCommon(Connection c, String table, List<String> columns) throws SQLException {
        double rows;
        try (PreparedStatement ps = c.prepareStatement(ESTIMATED_ROWS)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rows = rs.next() ? rs.getDouble(1) : -1;
            }
        }
        double percent = rows <= SAMPLE_ROWS ? 100 : Math.max(0.01, 100.0 * SAMPLE_ROWS / rows);
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(columns.get(i)).append("::text");
        }
        // Identifiers were checked against the catalog when the config loaded (TargetCatalog) and are quoted here.
        sql.append(" FROM (SELECT ").append(String.join(", ", columns)).append(" FROM ").append(table)
                .append(" TABLESAMPLE SYSTEM (").append(String.format(java.util.Locale.ROOT, "%.4f", percent))
                .append(") REPEATABLE (17) WHERE ").append(String.join(" IS NOT NULL AND ", columns))
                .append(" IS NOT NULL LIMIT ").append(SCANNED_ROWS).append(") s GROUP BY ");
        for (int i = 1; i <= columns.size(); i++) {
            sql.append(i == 1 ? "" : ", ").append(i);
        }
        sql.append(" ORDER BY count(*) DESC, 1 LIMIT 1");
        try (PreparedStatement ps = c.prepareStatement(sql.toString()); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= columns.size(); i++) {
                out.add(rs.getString(i));
            }
            return out;
        }
    }
}
