package dev.deltawatch.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Describes one mirror + delta system to validate: where its documents live (the layout), how they merge, how they
 * are written, and which queries matter. Every identifier here is checked against the catalog before any SQL uses
 * it. Schema version 1 (one table holding mirror, delta and version) is upgraded to this shape on load
 * ({@link TargetConfigUpgrade}).
 *
 * @param name      a short name for the target, used in findings and fingerprints
 * @param schema    the PostgreSQL schema holding the tables and functions ({@code public} when absent)
 * @param documents where mirror, delta, version and generated columns live
 * @param merge     the merge function (or {@code ||}) and its declared contract
 * @param write     the write path with optimistic locking; null when the target declares none
 * @param queries   the registered queries the plan audits run
 * @param probes    where active probes may write
 */
public record TargetConfig(int schemaVersion, String name, String schema, Documents documents, Merge merge,
                           Write write, List<RegisteredQuery> queries, Probes probes) {

    public static final int SCHEMA_VERSION = 2;

    public TargetConfig {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("field 'schemaVersion' of TargetConfig is " + schemaVersion
                    + "; expected " + SCHEMA_VERSION + " (version 1 files are upgraded by the loader)");
        }
        Require.text(name, "name");
        schema = schema == null || schema.isBlank() ? "public" : schema;
        Require.present(documents, "documents");
        Require.present(merge, "merge");
        queries = Require.list(queries);
        probes = probes == null ? Probes.defaults() : probes;
    }

    /** The tables of the layout, mirror first (one name when the delta lives on the mirror's row). */
    public List<String> tableNames() {
        List<String> names = new ArrayList<>(List.of(documents.mirror().table()));
        if (documents.delta().table() != null) {
            names.add(documents.delta().table());
        }
        return List.copyOf(names);
    }

    /**
     * Where a document's parts live. A document is one record key (and, with an owner column, one owner): its mirror,
     * its delta (absent when the delta table has no row for it: the merged document is then the mirror), its version
     * and its generated values.
     */
    public record Documents(Mirror mirror, Delta delta, Version version, List<GeneratedColumn> generatedColumns) {
        public Documents {
            Require.present(mirror, "documents.mirror");
            Require.present(delta, "documents.delta");
            Require.present(version, "documents.version");
            generatedColumns = Require.list(generatedColumns);
        }

        /** True when mirror and delta live on one row (no delta table). */
        @JsonIgnore
        public boolean sameRow() {
            return delta.table() == null;
        }
    }

    /** The mirror: its table, key column (any single-column type) and jsonb column. */
    public record Mirror(String table, String key, String column) {
        public Mirror {
            Require.text(table, "documents.mirror.table");
            Require.text(key, "documents.mirror.key");
            Require.text(column, "documents.mirror.column");
        }
    }

    /**
     * The delta: on the mirror's row ({@code table} null) or in a table of its own whose {@code record} column
     * references the mirror's key, optionally one delta per {@code owner}.
     */
    public record Delta(String table, String record, String owner, String column) {
        public Delta {
            Require.text(column, "documents.delta.column");
            if (table == null && (record != null || owner != null)) {
                throw new IllegalArgumentException("fields 'documents.delta.record' and 'documents.delta.owner' need "
                        + "'documents.delta.table' (the delta's own table)");
            }
            if (table != null) {
                Require.text(record, "documents.delta.record");
            }
        }
    }

    /**
     * The optimistic-locking version.
     *
     * @param on                which table holds it
     * @param kind              {@code integer}: steps by exactly one per write; {@code token}: compared for change only
     * @param firstWriteCreates inserting a document's first delta counts as version 0 to its value
     */
    public record Version(Side on, String column, Kind kind, boolean firstWriteCreates) {
        public enum Side { @JsonProperty("mirror") MIRROR, @JsonProperty("delta") DELTA }

        public enum Kind { @JsonProperty("integer") INTEGER, @JsonProperty("token") TOKEN }

        public Version {
            Require.text(column, "documents.version.column");
            on = on == null ? Side.MIRROR : on;
            kind = kind == null ? Kind.INTEGER : kind;
        }
    }

    /**
     * A STORED generated column and the document path it must equal.
     *
     * @param path    object keys from the document root, e.g. {@code ["forecast", "start"]}
     * @param sqlType the column's type as the oracle's value is cast for comparison ({@code text}, {@code date}, ...)
     * @param source  which document it is computed from; it lives on the delta table for {@code delta}, else on the
     *                mirror's table
     */
    public record GeneratedColumn(String column, List<String> path, String sqlType, Source source) {
        public enum Source { @JsonProperty("merged") MERGED, @JsonProperty("mirror") MIRROR, @JsonProperty("delta") DELTA }

        public GeneratedColumn {
            Require.text(column, "documents.generatedColumns[].column");
            path = Require.list(path);
            if (path.isEmpty()) {
                throw new IllegalArgumentException("field 'documents.generatedColumns[].path' must name at least one key");
            }
            sqlType = sqlType == null || sqlType.isBlank() ? "text" : sqlType;
            source = source == null ? Source.MERGED : source;
        }
    }

    /**
     * The merge: a function with its declared argument order, or the built-in {@code ||} operator.
     *
     * @param arguments the roles of the function's two arguments, in order ({@code [mirror, delta]} when absent)
     */
    public record Merge(String function, String operator, List<Role> arguments, MergeContract contract) {
        public enum Role { @JsonProperty("mirror") MIRROR, @JsonProperty("delta") DELTA }

        public static final String CONCAT = "||";

        public Merge {
            if ((function == null) == (operator == null)) {
                throw new IllegalArgumentException("field 'merge' needs exactly one of 'function' and 'operator'");
            }
            if (operator != null && !CONCAT.equals(operator)) {
                throw new IllegalArgumentException("field 'merge.operator' must be \"||\", was \"" + operator + "\"");
            }
            arguments = arguments == null || arguments.isEmpty() ? List.of(Role.MIRROR, Role.DELTA) : List.copyOf(arguments);
            if (arguments.size() != 2 || arguments.get(0) == arguments.get(1)) {
                throw new IllegalArgumentException("field 'merge.arguments' must be [mirror, delta] or [delta, mirror], was "
                        + arguments);
            }
            Require.present(contract, "merge.contract");
        }

        /** True when the merge is the built-in {@code ||}. */
        @JsonIgnore
        public boolean concatOperator() {
            return operator != null;
        }

        /** The function's name, or {@code ||}: how findings name the merge. */
        @JsonIgnore
        public String displayName() {
            return function != null ? function : operator;
        }
    }

    /**
     * The write path: a function with declared argument roles, or the application's own statement with named
     * parameters ({@code :key :owner :patch :expectedVersion}). A conflict is recognised by SQLSTATE (and message), or
     * by the statement affecting zero rows.
     */
    public record Write(String function, List<Argument> arguments, String statement, Conflict conflict) {
        public Write {
            if ((function == null) == (statement == null)) {
                throw new IllegalArgumentException("field 'write' needs exactly one of 'function' and 'statement'");
            }
            arguments = Require.list(arguments);
            if (function != null && arguments.isEmpty()) {
                arguments = List.of(Argument.of(Argument.Role.KEY), Argument.of(Argument.Role.PATCH),
                        Argument.of(Argument.Role.EXPECTED_VERSION));
            }
            if (statement != null && !arguments.isEmpty()) {
                throw new IllegalArgumentException("field 'write.arguments' is for a write function; a statement names "
                        + "its parameters (:key, :owner, :patch, :expectedVersion)");
            }
            Require.present(conflict, "write.conflict");
        }

        /** Where findings point: the function's name or "write statement". */
        @JsonIgnore
        public String displayName() {
            return function != null ? function : "write statement";
        }
    }

    /** One argument of a write function: a role, or a constant of a given SQL type. */
    public record Argument(Role role, Object value, String type) {
        public enum Role {
            @JsonProperty("key") KEY, @JsonProperty("owner") OWNER, @JsonProperty("patch") PATCH,
            @JsonProperty("expectedVersion") EXPECTED_VERSION, @JsonProperty("constant") CONSTANT
        }

        public Argument {
            role = role == null ? Role.CONSTANT : role;
            if (role == Role.CONSTANT) {
                Require.present(value, "write.arguments[].value");
                type = type == null || type.isBlank() ? "text" : type;
            }
        }

        public static Argument of(Role role) {
            return new Argument(role, null, null);
        }

        /** YAML shorthand: {@code key} or {@code {value: x, type: text}}. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Argument parse(Object node) {
            if (node instanceof String s) {
                for (Role r : Role.values()) {
                    if (r != Role.CONSTANT && roleName(r).equals(s)) {
                        return of(r);
                    }
                }
                throw new IllegalArgumentException("write.arguments: unknown role '" + s
                        + "'; use key, owner, patch, expectedVersion or {value: ..., type: ...}");
            }
            if (node instanceof Map<?, ?> m) {
                return new Argument(Role.CONSTANT, m.get("value"), m.get("type") == null ? null : m.get("type").toString());
            }
            throw new IllegalArgumentException("write.arguments: expected a role name or {value: ..., type: ...}");
        }

        @JsonValue
        Object json() {
            return role == Role.CONSTANT ? Map.of("value", value, "type", type) : roleName(role);
        }

        private static String roleName(Role r) {
            return switch (r) {
                case KEY -> "key";
                case OWNER -> "owner";
                case PATCH -> "patch";
                case EXPECTED_VERSION -> "expectedVersion";
                case CONSTANT -> "constant";
            };
        }
    }

    /** How the write path says "version conflict". */
    public record Conflict(String sqlState, String message, boolean zeroRows) {
        public Conflict {
            if (!zeroRows) {
                Require.text(sqlState, "write.conflict.sqlState");
                message = message == null ? "" : message;
            }
        }
    }

    /**
     * A query the team cares about.
     *
     * @param sql      the statement with {@code $1..$n} parameters
     * @param params   one or more sample parameter sets
     * @param budgetMs latency budget for its p95
     * @param kind     {@code read} runs in a read-only transaction; {@code write} inside BEGIN ... ROLLBACK
     * @param drawFrom per {@code $n}, the column ({@code table.column}) whose most common value in the data as it is
     *                 at audit time fills {@code $n} of one more parameter set (null entries keep the first set's
     *                 value): a value that grew since the last ANALYZE, or the heaviest one the data holds now, is
     *                 audited without anyone editing the config; empty when the configured sets are all
     */
    public record RegisteredQuery(String name, String sql, List<List<Object>> params, long budgetMs, Kind kind,
                                  @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> drawFrom) {
        public enum Kind { @JsonProperty("read") READ, @JsonProperty("write") WRITE }

        public RegisteredQuery {
            Require.text(name, "queries[].name");
            Require.text(sql, "queries[].sql");
            params = params == null ? List.of() : params.stream().map(Require::list).toList();
            if (budgetMs < 1) {
                throw new IllegalArgumentException("field 'queries[].budgetMs' of query '" + name
                        + "' must be >= 1, was " + budgetMs);
            }
            kind = kind == null ? Kind.READ : kind;
            drawFrom = drawFrom == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(
                    drawFrom));
            for (String column : drawFrom) {
                if (column != null && !column.matches("[^.\\s]+\\.[^.\\s]+")) {
                    throw new IllegalArgumentException("field 'queries[].drawFrom' of query '" + name + "' names '"
                            + column + "': each entry is table.column, or null for a parameter not drawn");
                }
            }
        }

        public RegisteredQuery(String name, String sql, List<List<Object>> params, long budgetMs, Kind kind) {
            this(name, sql, params, budgetMs, kind, List.of());
        }
    }

    /**
     * Where active probes write. With an owner column they write deltas under {@code owner} against existing records;
     * otherwise on probe rows of the mirror's table whose {@code column} holds {@code namespace}.
     *
     * @param keyTemplate a probe row's key for key types without a default, {@code {n}} replaced by a unique number
     */
    public record Probes(String column, String namespace, String owner, String keyTemplate) {
        public static final String DEFAULT_NAMESPACE = "__deltawatch_probe__";

        public static Probes defaults() {
            return new Probes(null, null, null, null);
        }

        public Probes {
            namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
            owner = owner == null || owner.isBlank() ? DEFAULT_NAMESPACE : owner;
        }
    }
}
