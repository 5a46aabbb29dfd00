package dev.deltawatch.worker.check.lock;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.ResolvedTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * The team's write function, called the way the application calls it: {@code function(key, patch, expected_version)}.
 * The key is cast to the key column's catalog type, the patch to jsonb; all three are bound parameters.
 */
public final class WritePath {
    /** A version argument of the wrong type: sent untyped so the server, not the driver, has to refuse it. */
    public record UntypedVersion(String text) {}

    /** A record as read back: its version and its delta as JSON text (null for SQL NULL). */
    public record RowState(long version, String deltaJson) {}

    private final ResolvedTarget.Table table;
    private final String function;
    private final String keyType;
    private final TargetConfig.WriteFunction config;

    private WritePath(ResolvedTarget.Table table, String function, String keyType, TargetConfig.WriteFunction config) {
        this.table = table;
        this.function = function;
        this.keyType = keyType;
        this.config = config;
    }

    public static WritePath resolve(Connection c, CheckContext context) throws SQLException {
        ResolvedTarget target = context.target();
        if (target.writeFunction() == null || target.config().write() == null) {
            throw new IllegalStateException("target '" + context.targetName()
                    + "' has no write function configured (write.function); lock probes need one");
        }
        ResolvedTarget.Table t = target.primaryTable();
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                + "WHERE a.attrelid = ?::regclass AND a.attname = ?")) {
            ps.setString(1, t.qualifiedName());
            ps.setString(2, t.config().keyColumn());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new WritePath(t, target.writeFunction(), rs.getString(1), target.config().write());
            }
        }
    }

    public TargetConfig.WriteFunction config() {
        return config;
    }

    public String functionName() {
        return function;
    }

    public String table() {
        return table.qualifiedName();
    }

    /** The SQL a reproduction can run, with the key and version filled in as literals for reading only. */
    public String callSql(String key, String patch, Object version) {
        return "SELECT " + function + "(" + key + ", '" + patch.replace("'", "''") + "'::jsonb, " + version + ");";
    }

    /**
     * Calls the write function inside the caller's transaction. {@code patch} is JSON text or {@code null} (SQL
     * NULL); {@code version} an Integer/Long, or an {@link UntypedVersion}. Never throws for a database error: the
     * error is the outcome (the caller's transaction is then aborted and must be rolled back).
     */
    public WriteOutcome write(Connection c, String key, String patch, Object version) throws SQLException {
        // No cast on the result: a write function returning void or a row must not look like a failure.
        String sql = "SELECT " + function + "(CAST(? AS " + keyType + "), CAST(? AS jsonb), ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            ps.setString(2, patch);
            if (version instanceof UntypedVersion u) {
                ps.setObject(3, u.text(), Types.OTHER);
            } else {
                ps.setObject(3, version == null ? null : ((Number) version).intValue(), Types.INTEGER);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Object result = rs.getObject(1);
                return WriteOutcome.success(result instanceof Number n ? n.longValue() : null);
            }
        } catch (SQLException e) {
            if (e.getSQLState() == null || e.getSQLState().startsWith("08")) {
                throw e; // the connection failed: not an answer of the write path
            }
            return WriteOutcome.failure(e);
        }
    }

    /** Reads a record's version and delta. */
    public RowState read(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + table.version() + "::bigint, " + table.delta()
                + "::text FROM " + table.qualifiedName() + " WHERE " + table.key() + " = CAST(? AS " + keyType + ")")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("probe row " + key + " vanished from " + table.qualifiedName());
                }
                return new RowState(rs.getLong(1), rs.getString(2));
            }
        }
    }
}
