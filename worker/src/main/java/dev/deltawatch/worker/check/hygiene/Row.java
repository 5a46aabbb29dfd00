package dev.deltawatch.worker.check.hygiene;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a catalog or statistics query, by column label. The hygiene checks read many small catalog result
 * sets; this keeps each of them a query plus a loop instead of a hand-written mapper. Values are always bound.
 */
record Row(Map<String, Object> values) {

    static List<Row> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object arg = args[i];
                if (arg instanceof Long[] longs) {
                    ps.setArray(i + 1, c.createArrayOf("int8", longs));
                } else if (arg instanceof String[] texts) {
                    ps.setArray(i + 1, c.createArrayOf("text", texts));
                } else {
                    ps.setObject(i + 1, arg);
                }
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        // Arrays are copied out while the result set is open.
                        m.put(md.getColumnLabel(i), v instanceof java.sql.Array a ? java.util.Arrays.asList((Object[]) a.getArray()) : v);
                    }
                    rows.add(new Row(m));
                }
            }
            return rows;
        }
    }

    static Row one(Connection c, String sql, Object... args) throws SQLException {
        List<Row> rows = query(c, sql, args);
        if (rows.size() != 1) {
            throw new SQLException("expected one row, got " + rows.size() + " from: " + sql);
        }
        return rows.get(0);
    }

    String str(String column) {
        Object v = values.get(column);
        return v == null ? null : v.toString();
    }

    long lng(String column) {
        Object v = values.get(column);
        return v == null ? 0 : ((Number) v).longValue();
    }

    double dbl(String column) {
        Object v = values.get(column);
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    @SuppressWarnings("unchecked")
    List<String> strings(String column) {
        Object v = values.get(column);
        return v == null ? List.of() : ((List<Object>) v).stream().map(String::valueOf).toList();
    }

    boolean bool(String column) {
        return Boolean.TRUE.equals(values.get(column));
    }
}
