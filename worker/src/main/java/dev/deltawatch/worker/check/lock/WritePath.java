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
import java.util.Objects;

/**
 * The team's write path, called the way the application calls it: its write function with the declared argument
 * roles, or its own statement with named parameters. For a function, key, owner and a token version are cast to
 * their catalog types and the patch to jsonb; a statement's parameters are sent untyped, so the statement's own
 * casts (or the server's inference) decide. Every value is a bound parameter. Probes write under the probe owner
 * where the layout has an owner column.
 */
public final class WritePath {
    /** SQLSTATE a statement's "zero rows affected" is reported under (SQL's "no data"). */
    static final String ZERO_ROWS = "02000";

    /** A version argument of the wrong type: sent untyped so the server, not the driver, has to refuse it. */
    public record UntypedVersion(String text) {}

    /** A token version as read (its text form; {@code null} for SQL NULL: the document has no delta row yet). */
    public record Token(String text) {
        String label() {
            return text == null ? "NULL" : "'" + text + "'";
        }
    }

    /**
     * A document as read back: its integer version ({@code 0} without a delta row), or its token for a token
     * version (then {@code version} is 0 and {@code token} non-null), and its delta as JSON text (null for SQL NULL
     * or no delta row).
     */
    public record RowState(long version, Token token, String deltaJson) {
        /** What a client that read this state sends as its expected version: a Long, or a {@link Token}. */
        public Object expected() {
            return token != null ? token : (Object) version;
        }

        /** The version as evidence shows it: {@code 3} or {@code '2024-05-01 10:00:00+00'}. */
        public String versionLabel() {
            return token != null ? token.label() : String.valueOf(version);
        }

        public boolean sameVersion(RowState other) {
            return version == other.version && Objects.equals(token, other.token);
        }
    }

    private final ResolvedTarget target;
    private final TargetConfig.Write config;
    private final WriteStatement statement;
    private final String owner;
    private final String ownerType;
    private final boolean tokenVersion;
    private final String versionType;
    private final String signature;

    private WritePath(ResolvedTarget target, TargetConfig.Write config, String owner, String ownerType,
                      String versionType, String signature) {
        this.target = target;
        this.config = config;
        this.statement = config.statement() == null ? null : WriteStatement.compile(config.statement());
        this.owner = owner;
        this.ownerType = ownerType;
        this.tokenVersion = target.config().documents().version().kind() == TargetConfig.Version.Kind.TOKEN;
        this.versionType = versionType;
        this.signature = signature;
    }

    public static WritePath resolve(Connection c, CheckContext context) throws SQLException {
        ResolvedTarget target = context.target();
        TargetConfig.Write write = target.config().write();
        if (write == null) {
            throw new IllegalStateException("write: target '" + context.targetName()
                    + "' has no write path configured (write.function or write.statement); lock probes need one");
        }
        ResolvedTarget.Table delta = target.deltaTable().orElse(null);
        boolean owned = delta != null && delta.owner() != null;
        ResolvedTarget.Table versionTable = target.primaryTable().version() != null ? target.primaryTable() : delta;
        String versionType = columnType(c, versionTable.qualifiedName(), target.config().documents().version().column());
        String ownerType = owned ? columnType(c, delta.qualifiedName(), target.config().documents().delta().owner()) : null;
        String signature = null;
        if (target.writeFunction() != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT string_agg(pg_get_function_arguments(p.oid), ' | ') "
                    + "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ? AND p.proname = ?")) {
                ps.setString(1, target.config().schema());
                ps.setString(2, write.function());
                try (ResultSet rs = ps.executeQuery()) {
                    signature = rs.next() ? rs.getString(1) : null;
                }
            }
        }
        return new WritePath(target, write, owned ? target.config().probes().owner() : null, ownerType, versionType,
                signature);
    }

    private static String columnType(Connection c, String qualifiedTable, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = ?::regclass AND attname = ? AND attnum > 0 AND NOT attisdropped")) {
            ps.setString(1, qualifiedTable);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "text";
            }
        }
    }

    public TargetConfig.Write config() {
        return config;
    }

    /** How findings name the write path: the function's name or "write statement". */
    public String functionName() {
        return statement == null ? target.writeFunction() : "write statement";
    }

    /** The config field that declares how the write path is called: {@code write.arguments} or {@code write.statement}. */
    public String callField() {
        return statement == null ? "write.arguments" : "write.statement";
    }

    /** The write function's parameters as the catalog declares them, for messages; null for a statement. */
    public String signature() {
        return signature;
    }

    /** The owner probes write under; null when the layout has no owner column. */
    public String owner() {
        return owner;
    }

    public boolean tokenVersion() {
        return tokenVersion;
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

    /**
     * The SQL a reproduction can run, literals filled in for reading only. {@code version} is a number, a
     * {@link Token}, or a placeholder text such as {@code <version read>}.
     */
    public String callSql(String key, String patch, Object version) {
        List<String> values = new ArrayList<>();
        for (Argument.Role role : roles()) {
            values.add(switch (role) {
                case KEY -> Documents.literal(key);
                case OWNER -> owner == null ? "NULL" : Documents.literal(owner);
                case PATCH -> Documents.literal(patch) + "::jsonb";
                case EXPECTED_VERSION -> version instanceof Token t ? (t.text() == null ? "NULL"
                        : Documents.literal(t.text())) + "::" + versionType : String.valueOf(version);
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

    /** A reproduction's read of one document's version and delta. */
    public String readSql(String key) {
        return readSql().replaceFirst("\\?", java.util.regex.Matcher.quoteReplacement(owner == null ? "NULL"
                : Documents.literal(owner))).replace("CAST(? AS", "CAST(" + Documents.literal(key) + " AS") + ";";
    }

    private List<Argument.Role> roles() {
        return statement != null ? statement.roles()
                : config.arguments().stream().map(Argument::role).filter(r -> r != Argument.Role.CONSTANT).toList();
    }

    /**
     * Writes through the write path inside the caller's transaction. {@code patch} is JSON text or {@code null} (SQL
     * NULL); {@code version} a Long/Integer, a {@link Token}, or an {@link UntypedVersion}. Never throws for a
     * database error: the error is the outcome (the caller's transaction is then aborted and must be rolled back).
     */
    public WriteOutcome write(Connection c, String key, String patch, Object version) throws SQLException {
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
                    case KEY -> "CAST(? AS " + target.primaryTable().keyType() + ")";
                    case OWNER -> "CAST(? AS " + ownerType + ")";
                    case PATCH -> "CAST(? AS jsonb)";
                    case CONSTANT -> "CAST(? AS " + a.type() + ")";
                    case EXPECTED_VERSION -> version instanceof Token ? "CAST(? AS " + versionType + ")" : "?";
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
        // A statement's parameters go untyped (Types.OTHER): its own casts, or the column it meets, give the type.
        int textType = statement != null ? Types.OTHER : Types.VARCHAR;
        switch (role) {
            case KEY -> ps.setObject(i, key, textType);
            case OWNER -> ps.setObject(i, owner, textType);
            case PATCH -> ps.setObject(i, patch, Types.OTHER);
            case CONSTANT -> ps.setString(i, String.valueOf(constant));
            case EXPECTED_VERSION -> {
                if (version instanceof UntypedVersion u) {
                    ps.setObject(i, u.text(), Types.OTHER);
                } else if (version instanceof Token t) {
                    ps.setObject(i, t.text(), textType);
                } else if (version == null) {
                    ps.setNull(i, Types.INTEGER);
                } else {
                    long v = ((Number) version).longValue();
                    // An integer parameter refuses a bigint argument: send int where it fits.
                    if (v == (int) v) {
                        ps.setObject(i, (int) v, Types.INTEGER);
                    } else {
                        ps.setObject(i, v, Types.BIGINT);
                    }
                }
            }
        }
    }

    /**
     * Reads a document's version (or token) and delta. Without a delta row: version 0 or a NULL token, and no
     * delta. Throws when the record itself is gone.
     */
    public RowState read(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(readSql())) {
            ps.setString(1, owner);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("probe document " + Documents.label(key, owner) + " vanished from "
                            + target.primaryTable().qualifiedName());
                }
                return tokenVersion ? new RowState(0, new Token(rs.getString(1)), rs.getString(2))
                        : new RowState(rs.getLong(1), null, rs.getString(2));
            }
        }
    }

    /** Parameters: the owner (ignored without an owner column), then the key. */
    private String readSql() {
        ResolvedTarget.Table mirror = target.primaryTable();
        ResolvedTarget.Table delta = target.deltaTable().orElse(null);
        String version = mirror.version() != null ? "t." + mirror.version() : "dl." + delta.version();
        String deltaColumn = delta == null ? "t." + mirror.delta() : "dl." + delta.delta();
        String join = delta == null ? "" : " LEFT JOIN " + delta.qualifiedName() + " dl ON dl." + delta.key() + " = t."
                + mirror.key() + (delta.owner() == null ? "" : " AND dl." + delta.owner() + " = CAST(? AS "
                + ownerType + ")");
        String versionSql = tokenVersion ? version + "::text" : "coalesce(" + version + "::bigint, 0)";
        return "SELECT " + versionSql + ", " + deltaColumn + "::text FROM " + mirror.qualifiedName() + " t" + join
                + " WHERE " + (delta == null || delta.owner() == null ? "CAST(? AS text) IS NULL AND " : "") + "t."
                + mirror.key() + " = CAST(? AS " + mirror.keyType() + ")";
    }

    /**
     * A token of the version's type that differs from {@code current}: what a client holding an outdated token
     * sends when the write path never moved the token (so no real outdated token exists).
     */
    public Token otherToken(Connection c, Token current) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT t.typcategory, t.typname FROM pg_type t "
                + "WHERE t.oid = CAST(? AS regtype)")) {
            ps.setString(1, versionType);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String category = rs.getString(1);
                String sql = switch (category) {
                    case "D" -> "SELECT (CAST(? AS " + versionType + ") - interval '1 second')::text";
                    case "N" -> "SELECT (CAST(? AS " + versionType + ") - 1)::text";
                    case "S" -> "SELECT CAST(? AS text) || '-outdated'";
                    default -> rs.getString(2).equals("uuid") ? "SELECT gen_random_uuid()::text WHERE ? IS NOT NULL"
                            : null;
                };
                if (sql == null) {
                    throw new IllegalStateException("documents.version.column: deltawatch cannot make an outdated "
                            + "token of type " + versionType + " to probe the write path with");
                }
                try (PreparedStatement other = c.prepareStatement(sql)) {
                    other.setString(1, current.text());
                    try (ResultSet r = other.executeQuery()) {
                        r.next();
                        return new Token(r.getString(1));
                    }
                }
            }
        }
    }
}
