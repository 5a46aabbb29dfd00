package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.SqlIdentifiers;
import dev.deltawatch.worker.check.plan.QueryRelations;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The watched tables as catalog oids. {@code to_regclass} parses the already quoted, catalog-checked name bound as
 * a value, so the oid lookup involves no SQL text built from configuration.
 */
final class WatchedTables {
    private WatchedTables() {}

    /** A watched table with its oid and the display name findings use ({@code schema.table}). */
    record Watched(ResolvedTarget.Table table, long oid, String displayName) {}

    static List<Watched> resolve(Connection c, ResolvedTarget target) throws SQLException {
        List<Watched> out = new ArrayList<>();
        for (ResolvedTarget.Table t : target.tables()) {
            Row r = Row.one(c, "SELECT to_regclass(?)::oid::bigint AS oid", t.qualifiedName());
            if (r.values().get("oid") == null) {
                throw new SQLException("watched table " + t.qualifiedName() + " no longer exists");
            }
            out.add(new Watched(t, r.lng("oid"), target.config().schema() + "." + t.name()));
        }
        return out;
    }

    /**
     * The layout's tables and every other table a registered query reads (hygiene of what the team's queries depend
     * on). Which tables a query reads comes from its plan, on a connection of its own: a query that cannot be planned
     * must not abort the caller's transaction.
     */
    static List<Watched> withQueriedTables(Connection c, CheckContext context) throws Exception {
        List<Watched> out = new ArrayList<>(resolve(c, context.target()));
        Map<String, List<String>> read;
        try (Connection own = context.connect(true)) {
            read = QueryRelations.queriesByTable(own, context.target().config());
            own.rollback();
        }
        for (String table : read.keySet()) {
            List<Row> found = Row.query(c, "SELECT c.oid::bigint AS oid, n.nspname AS schema, c.relname AS name, "
                    + "(SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                    + "AND a.attnum = i.indkey[0] WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1) AS pk "
                    + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE c.oid = to_regclass(?) AND c.relkind IN ('r', 'p')", table);
            if (found.isEmpty() || out.stream().anyMatch(w -> w.oid() == found.get(0).lng("oid"))) {
                continue; // a view, a materialized view, or a table of the layout
            }
            Row r = found.get(0);
            String pk = r.str("pk");
            ResolvedTarget.Table t = new ResolvedTarget.Table(r.str("name"), ResolvedTarget.Role.QUERIED,
                    SqlIdentifiers.qualified(r.str("schema"), r.str("name")), pk,
                    pk == null ? "<key column>" : SqlIdentifiers.quote(pk), null, null, null, null, null, null,
                    List.of());
            out.add(new Watched(t, r.lng("oid"), r.str("schema") + "." + r.str("name")));
        }
        return out;
    }

    /** The oids as a {@code bigint[]}-friendly array for {@code = ANY(?)} binds. */
    static Long[] oids(List<Watched> watched) {
        return watched.stream().map(w -> w.oid()).toArray(Long[]::new);
    }
}
