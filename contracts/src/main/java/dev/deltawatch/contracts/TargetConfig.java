package dev.deltawatch.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Describes one mirror + delta system to validate: which tables to watch, how they merge, how they are
 * written, and which queries matter. Every identifier here is checked against the catalog before any
 * SQL uses it.
 *
 * @param name    a short name for the target, used in findings and fingerprints
 * @param schema  the PostgreSQL schema holding the tables and functions ({@code public} when absent)
 * @param tables  the watched tables (at least one)
 * @param merge   the merge function and its declared contract
 * @param write   the write path with optimistic locking
 * @param queries the registered queries the plan audits run
 * @param probes  where active probes may write
 */
public record TargetConfig(int schemaVersion, String name, String schema, List<WatchedTable> tables,
                           MergeFunction merge, WriteFunction write, List<RegisteredQuery> queries, Probes probes) {

    public static final int SCHEMA_VERSION = 1;

    public TargetConfig {
        Require.version(schemaVersion, SCHEMA_VERSION, "TargetConfig");
        Require.text(name, "name");
        schema = schema == null || schema.isBlank() ? "public" : schema;
        tables = Require.list(tables);
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("field 'tables' must name at least one watched table");
        }
        Require.present(merge, "merge");
        queries = Require.list(queries);
        probes = probes == null ? Probes.defaults() : probes;
    }

    /**
     * A table with a mirror, a delta and a version column.
     *
     * @param generatedColumns STORED generated columns derived from the merged document
     */
    public record WatchedTable(String name, String keyColumn, String mirrorColumn, String deltaColumn,
                               String versionColumn, List<GeneratedColumn> generatedColumns) {
        public WatchedTable {
            Require.text(name, "tables[].name");
            Require.text(keyColumn, "tables[].keyColumn");
            Require.text(mirrorColumn, "tables[].mirrorColumn");
            Require.text(deltaColumn, "tables[].deltaColumn");
            Require.text(versionColumn, "tables[].versionColumn");
            generatedColumns = Require.list(generatedColumns);
        }
    }

    /**
     * A generated column and the path in the merged document it must equal.
     *
     * @param path   object keys from the document root, e.g. {@code ["forecast", "start"]}
     * @param sqlType the column's type as the oracle's value is cast for comparison ({@code text}, {@code date}, ...)
     */
    public record GeneratedColumn(String column, List<String> path, String sqlType) {
        public GeneratedColumn {
            Require.text(column, "generatedColumns[].column");
            path = Require.list(path);
            if (path.isEmpty()) {
                throw new IllegalArgumentException("field 'generatedColumns[].path' must name at least one key");
            }
            sqlType = sqlType == null || sqlType.isBlank() ? "text" : sqlType;
        }
    }

    /** The merge function {@code name(mirror jsonb, delta jsonb) returns jsonb} and its declared contract. */
    public record MergeFunction(String function, MergeContract contract) {
        public MergeFunction {
            Require.text(function, "merge.function");
            Require.present(contract, "merge.contract");
        }
    }

    /**
     * The write path: {@code function(key, patch jsonb, expected_version integer)}, which applies the patch to
     * the delta and bumps the version by one, or fails with the conflict error when the version is stale.
     */
    public record WriteFunction(String function, String conflictSqlState, String conflictMessage) {
        public WriteFunction {
            Require.text(function, "write.function");
            Require.text(conflictSqlState, "write.conflictSqlState");
            Require.text(conflictMessage, "write.conflictMessage");
        }
    }

    /**
     * A query the team cares about.
     *
     * @param sql      the statement with {@code $1..$n} parameters
     * @param params   one or more sample parameter sets
     * @param budgetMs latency budget for its p95
     * @param kind     {@code read} runs in a read-only transaction; {@code write} inside BEGIN ... ROLLBACK
     */
    public record RegisteredQuery(String name, String sql, List<List<Object>> params, long budgetMs, Kind kind) {
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
        }
    }

    /**
     * The reserved namespace active probes write in: rows whose {@code column} equals {@code namespace}.
     */
    public record Probes(String column, String namespace) {
        public static Probes defaults() {
            return new Probes("organization_id", "__deltawatch_probe__");
        }

        public Probes {
            column = column == null || column.isBlank() ? "organization_id" : column;
            namespace = namespace == null || namespace.isBlank() ? "__deltawatch_probe__" : namespace;
        }
    }
}
