package dev.deltawatch.worker.discover;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.MergeCall;
import dev.deltawatch.worker.check.SqlIdentifiers;
import dev.deltawatch.worker.config.ConfigException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Discovers a target config from one schema of a database, read-only: layout, write path, version, merge, generated
 * columns, the merge contract ({@link ContractInference}), probes and queries, each choice with a note saying what was
 * seen and how sure it is. What it cannot read (the schema, a table) is a {@link ConfigException} naming the missing
 * privilege; a schema without the mirror + delta pattern is one too.
 */
public final class Discovery {
    /** The discovered config, the commented YAML that declares it, and the summary and TODOs for the terminal. */
    public record Result(TargetConfig config, String yaml, List<String> summary, List<String> todos) {}

    private Discovery() {}

    /**
     * Reads the catalog through {@code c}, in a read-only transaction that is rolled back. {@code simple} is a
     * connection on the simple query protocol for {@code EXPLAIN (GENERIC_PLAN)} of statements whose parameters
     * cannot be drawn (null: those are listed without a plan).
     */
    public static Result discover(Connection c, Connection simple, String schema) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        c.setReadOnly(true);
        try {
            return run(c, simple, schema);
        } finally {
            c.rollback();
            c.setReadOnly(false);
            c.setAutoCommit(autoCommit);
        }
    }

    private static Result run(Connection c, Connection simple, String schema) throws SQLException {
        Map<String, Object> who = Sql.rows(c, "SELECT current_user AS u, current_database() AS db, "
                + "EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?) AS present", schema).get(0);
        String role = Sql.text(who, "u");
        if (!Sql.flag(who, "present")) {
            throw new ConfigException("--schema", List.of("no schema '" + schema + "' in database "
                    + Sql.text(who, "db")));
        }
        if (!Sql.flag(Sql.rows(c, "SELECT has_schema_privilege(?, 'USAGE') AS ok", schema).get(0), "ok")) {
            throw new ConfigException("schema '" + schema + "'", List.of("role " + role + " lacks the USAGE privilege "
                    + "on schema " + schema + ", so init cannot read its tables (GRANT USAGE ON SCHEMA " + schema
                    + " TO " + role + ")"));
        }
        Notes notes = new Notes();
        Layout layout = new LayoutDiscovery(c, schema).discover(notes);
        for (String table : layout.sameRow() ? List.of(layout.mirrorTable())
                : List.of(layout.mirrorTable(), layout.deltaTable())) {
            if (!Sql.flag(Sql.rows(c, "SELECT has_table_privilege(format('%I.%I', ?::text, ?::text), 'SELECT') AS ok",
                    schema, table).get(0), "ok")) {
                throw new ConfigException("table " + schema + "." + table, List.of("role " + role + " lacks the "
                        + "SELECT privilege on " + schema + "." + table + " (GRANT SELECT ON " + schema + "." + table
                        + " TO " + role + ")"));
            }
        }
        Functions functions = Functions.read(c, schema);
        Set<String> versionCandidates = new LinkedHashSet<>(VersionDiscovery.columnsWithGenerated(c, schema,
                layout.deltaHome()));
        if (!layout.sameRow()) {
            versionCandidates.addAll(VersionDiscovery.columnsWithGenerated(c, schema, layout.mirrorTable()));
        }
        versionCandidates.removeAll(List.of(layout.key(), layout.mirrorColumn(), layout.deltaColumn()));
        versionCandidates.remove(layout.record());
        versionCandidates.remove(layout.owner());
        WritePathDiscovery.Found write = WritePathDiscovery.discover(c, functions, layout, versionCandidates, notes);
        TargetConfig.Version version = VersionDiscovery.discover(c, schema, layout, write, notes);
        MergeDiscovery.Found merge = MergeDiscovery.discover(c, schema, functions, layout, notes);
        List<TargetConfig.GeneratedColumn> generated = GeneratedColumnDiscovery.discover(c, schema, layout, merge,
                notes);
        c.rollback();
        MergeCall call = new MergeCall(merge.function() == null ? null
                : SqlIdentifiers.qualified(schema, merge.function()),
                merge.arguments().get(0) == TargetConfig.Merge.Role.DELTA,
                merge.function() == null ? TargetConfig.Merge.CONCAT : merge.function());
        ContractInference.Inferred inferred = ContractInference.infer(c, call);
        c.rollback();
        TargetConfig.Probes probes = ProbeDiscovery.discover(c, schema, layout, notes);
        List<TargetConfig.RegisteredQuery> queries = QueryDiscovery.discover(c, simple, schema, layout, notes);
        TargetConfig config = new TargetConfig(TargetConfig.SCHEMA_VERSION, Sql.text(who, "db") + "-" + schema, schema,
                new TargetConfig.Documents(
                        new TargetConfig.Mirror(layout.mirrorTable(), layout.key(), layout.mirrorColumn()),
                        new TargetConfig.Delta(layout.deltaTable(), layout.record(), layout.owner(),
                                layout.deltaColumn()),
                        version, generated),
                new TargetConfig.Merge(merge.function(), merge.function() == null ? TargetConfig.Merge.CONCAT : null,
                        merge.arguments(), inferred.contract()),
                write.write(), queries, probes);
        if (!inferred.unexplained().isEmpty()) {
            notes.todo("merge.contract: " + inferred.unexplained().size() + " case(s) the inferred contract does not "
                    + "explain (listed under merge.contract)");
        }
        notes.summary("merge contract: " + ConfigYamlWriter.contractLine(inferred.contract())
                + (inferred.unexplained().isEmpty() ? "" : " (" + inferred.unexplained().size() + " unexplained)"));
        String yaml = new ConfigYamlWriter(notes).write(config, layout, inferred, Sql.text(who, "db"));
        return new Result(config, yaml, notes.summary(), notes.todos());
    }
}
