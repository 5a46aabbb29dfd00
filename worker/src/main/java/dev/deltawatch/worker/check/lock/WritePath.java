package dev.deltawatch.worker.check.lock;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.TargetConfig.Argument;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.Documents;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.WriteStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The team's write path, called the way the application calls it: its write function with the declared argument
 * roles, or its own statement with named parameters. The key is cast to the key's catalog type, the patch to jsonb;
 * every value is a bound parameter. Probes write under the probe owner where the layout has an owner column.
 */
public final class WritePath {
    /** SQLSTATE a statement's "zero rows affected" is reported under (SQL's "no data"). */
    static final String ZERO_ROWS = "02000";

    /** A version argument of the wrong type: sent untyped so the server, not the driver, has to refuse it. */
    public record UntypedVersion(String text) {}

    /** A document as read back: its version and its delta as JSON text (null for SQL NULL or no delta row). */
    public record RowState(long version, String deltaJson) {}

    private final ResolvedTarget target;
    private final TargetConfig.Write config;
    private final WriteStatement statement;
    private final String owner;

    private WritePath(ResolvedTarget target, TargetConfig.Write config, String owner) {
        this.target = target;
        this.config = config;
        this.statement = config.statement() == null ? null : WriteStatement.compile(config.statement());
        this.owner = owner;
    }

    public static WritePath resolve(Connection c, CheckContext context) {
        ResolvedTarget target = context.target();
        TargetConfig.Write write = target.config().write();
        if (write == null) {
            throw new IllegalStateException("target '" + context.targetName()
                    + "' has no write path configured (write.function or write.statement); lock probes need one");
        }
        boolean owned = target.deltaTable().map(t -> t.owner() != null).orElse(false);
        return new WritePath(target, write, owned ? target.config().probes().owner() : null);
    }

    public TargetConfig.Write config() {
        return config;
    }

    /** How findings name the write path: the function's name or "write statement". */
    public String functionName() {
        return statement == null ? target.writeFunction() : "write statement";
    }

    /** The table a reader inspects for versions and deltas. */
    public String table() {
        return target.deltaTable().orElse(target.primaryTable()).qualifiedName();
    }

    /** True when the outcome is the configured version conflict. */
    public boolean isConflict(WriteOutcome o) {
        TargetConfig.Conflict conflict = config.conflict();
        if (conflict.zeroRows()) {
            return ZERO_ROWS.equals(o.sqlState());
        }
        return conflict.sqlState().equals(o.sqlState()) && o.message() != null && o.message().contains(conflict.message());
    }

    /** How the configured conflict reads in findings: {@code PF409 'Version conflict'} or "zero rows affected". */
    public String conflictDescription() {
        TargetConfig.Conflict conflict = config.conflict();
        return conflict.zeroRows() ? "zero rows affected" : conflict.sqlState() + " '" + conflict.message() + "'";
    }

    /** The SQL a reproduction can run, with the key and version filled in as literals for reading only. */
    public String callSql(String key, String patch, Object version) {
        List<String> values = new ArrayList<>();
        for (Argument.Role role : roles()) {
            values.add(switch (role) {
                case KEY -> Documents.literal(key);
                case OWNER -> owner == null ? "NULL" : Documents.literal(owner);
                case PATCH -> Documents.literal(patch) + "::jsonb";
                case EXPECTED_VERSION -> String.valueOf(version);
                case CONSTANT -> "NULL";
            });
        }
        if (statement != null) {
            String sql = statement.sql();
            for (String v : values) {
                sql = sql.replaceFirst("\\?", java.util.regex.Matcher.quoteReplacement(v));
            }
            return sql.strip() + ";";
        }
        List<String> args = new ArrayList<>();
        int next = 0;
        for (Argument a : config.arguments()) {
            args.add(a.role() == Argument.Role.CONSTANT ? Documents.literal(String.valueOf(a.value())) + "::" + a.type()
                    : values.get(next++));
        }
        return "SELECT " + target.writeFunction() + "(" + String.join(", ", args) + ");";
    }

    private List<Argument.Role> roles() {
        return statement != null ? statement.roles()
                : config.arguments().stream().map(Argument::role).filter(r -> r != Argument.Role.CONSTANT).toList();
    }

    /**
     * Writes through the write path inside the caller's transaction. {@code patch} is JSON text or {@code null} (SQL
     * NULL); {@code version} an Integer/Long, or an {@link UntypedVersion}. Never throws for a database error: the
     * error is the outcome (the caller's transaction is then aborted and must be rolled back).
     */
    public WriteOutcome write(Connection c, String key, String patch, Object version) throws SQLException {
        String keyType = target.primaryTable().keyType();
        String sql;
        List<Object[]> binds = new ArrayList<>();
        if (statement != null) {
            sql = statement.sql();
            for (Argument.Role role : statement.roles()) {
                binds.add(new Object[] {role, null});
            }
        } else {
            List<String> args = new ArrayList<>();
            for (Argument a : config.arguments()) {
                args.add(switch (a.role()) {
                    case KEY -> "CAST(? AS " + keyType + ")";
                    case PATCH -> "CAST(? AS jsonb)";
                    case CONSTANT -> "CAST(? AS " + a.type() + ")";
                    default -> "?";
                });
                binds.add(new Object[] {a.role(), a.value()});
            }
            // No cast on the result: a write function returning void or a row must not look like a failure.
            sql = "SELECT " + target.writeFunction() + "(" + String.join(", ", args) + ")";
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.size(); i++) {
                bind(ps, i + 1, (Argument.Role) binds.get(i)[0], binds.get(i)[1], key, patch, version);
            }
            if (statement != null) {
                int rows = ps.executeUpdate();
                return rows == 0 ? WriteOutcome.zeroRows() : WriteOutcome.success(null);
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

    private void bind(PreparedStatement ps, int i, Argument.Role role, Object constant, String key, String patch,
                      Object version) throws SQLException {
        switch (role) {
            case KEY -> ps.setString(i, key);
            case OWNER -> ps.setString(i, owner);
            case PATCH -> ps.setObject(i, patch, Types.OTHER);
            case CONSTANT -> ps.setString(i, String.valueOf(constant));
            case EXPECTED_VERSION -> {
                if (version instanceof UntypedVersion u) {
                    ps.setObject(i, u.text(), Types.OTHER);
                } else {
                    ps.setObject(i, version == null ? null : ((Number) version).intValue(), Types.INTEGER);
                }
            }
        }
    }

    /** Reads a document's version and delta (version 0 and no delta when the delta table has no row for it yet). */
    public RowState read(Connection c, String key) throws SQLException {
        ResolvedTarget.Table mirror = target.primaryTable();
        ResolvedTarget.Table delta = target.deltaTable().orElse(null);
        String version = mirror.version() != null ? "t." + mirror.version() : "dl." + delta.version();
        String deltaColumn = delta == null ? "t." + mirror.delta() : "dl." + delta.delta();
        String join = delta == null ? "" : " LEFT JOIN " + delta.qualifiedName() + " dl ON dl." + delta.key() + " = t."
                + mirror.key() + (delta.owner() == null ? "" : " AND dl." + delta.owner() + "::text = ?");
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(" + version + "::bigint, 0), " + deltaColumn
                + "::text FROM " + mirror.qualifiedName() + " t" + join + " WHERE t." + mirror.key() + " = CAST(? AS "
                + mirror.keyType() + ")")) {
            int i = 1;
            if (delta != null && delta.owner() != null) {
                ps.setString(i++, owner);
            }
            ps.setString(i, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("probe row " + key + " vanished from " + mirror.qualifiedName());
                }
                return new RowState(rs.getLong(1), rs.getString(2));
            }
        }
    }
}
