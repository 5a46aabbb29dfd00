package dev.deltawatch.worker.check.plan;

import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The heaviest statements of this database by total execution time, from {@code pg_stat_statements} when the
 * extension is installed (deltawatch never installs it). Only top-level SELECT/WITH/UPDATE/DELETE/INSERT statements
 * that name a watched table count; EXPLAINs (deltawatch's own) and utility statements are left out.
 */
final class HeavyStatements {
    /** One statement: its normalized text (constants as {@code $n}), calls and total time. */
    record Statement(long queryId, String query, long calls, double totalMs) {}

    private HeavyStatements() {}

    /** {@code null} when {@code pg_stat_statements} is not installed in this database. */
    static List<Statement> top(CheckContext context, int limit) throws SQLException {
        try (Connection c = context.connect(true)) {
            String schema = extensionSchema(c);
            if (schema == null) {
                return null;
            }
            List<Statement> out = new ArrayList<>();
            String sql = "SELECT queryid, query, calls, total_exec_time FROM " + SqlIdentifiers.quote(schema)
                    + ".pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    + " AND toplevel AND query ~* '^\\s*(select|with|update|delete|insert)\\M'"
                    + " ORDER BY total_exec_time DESC LIMIT 200";
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next() && out.size() < limit) {
                    String text = rs.getString(2);
                    if (text != null && namesWatchedTable(context.target(), text)) {
                        out.add(new Statement(rs.getLong(1), text, rs.getLong(3), rs.getDouble(4)));
                    }
                }
            }
            c.rollback();
            return out;
        }
    }

    private static String extensionSchema(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                + "ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean namesWatchedTable(ResolvedTarget target, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return target.tables().stream().anyMatch(t -> lower.contains(t.name().toLowerCase(Locale.ROOT)));
    }
}
