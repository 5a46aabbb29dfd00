package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.worker.check.ResolvedTarget;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

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

    /** The oids as a {@code bigint[]}-friendly array for {@code = ANY(?)} binds. */
    static Long[] oids(List<Watched> watched) {
        return watched.stream().map(w -> w.oid()).toArray(Long[]::new);
    }
}
