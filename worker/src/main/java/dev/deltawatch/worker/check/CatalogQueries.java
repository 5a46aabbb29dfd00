package dev.deltawatch.worker.check;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Small catalog lookups with bound parameters (strings, integers, or null as a text NULL). */
final class CatalogQueries {
    private CatalogQueries() {}

    static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), args); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = bind(c.prepareStatement(sql), args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static String list(Connection c, String sql, Object... args) throws SQLException {
        List<String> names = strings(c, sql, args);
        return names.isEmpty() ? "(nothing)" : String.join(", ", names);
    }

    private static PreparedStatement bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, args[i] == null ? null : args[i].toString());
            }
        }
        return ps;
    }
}
