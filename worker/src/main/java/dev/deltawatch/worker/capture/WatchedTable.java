package dev.deltawatch.worker.capture;

import dev.deltawatch.contracts.TargetConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A watched table as found in the catalog.
 *
 * @param config          the table's entry in the target config
 * @param schema          its schema (unquoted)
 * @param qualifiedName   {@code schema.table} as Debezium and the contracts name it (unquoted)
 * @param quotedName      the same, quoted for SQL
 * @param oid             its {@code pg_class} oid
 * @param replicaIdentityFull true when {@code relreplident = 'f'}: only then are before images complete
 */
public record WatchedTable(TargetConfig.WatchedTable config, String schema, String qualifiedName, String quotedName,
                           long oid, boolean replicaIdentityFull) {

    /** Looks every watched table of {@code target} up in the catalog; a missing table is an error naming it. */
    public static List<WatchedTable> resolve(Connection c, TargetConfig target) throws SQLException {
        List<WatchedTable> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT n.nspname, c.relname, format('%I.%I', n.nspname, c.relname), c.oid, c.relreplident
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')""")) {
            for (TargetConfig.WatchedTable t : target.tables()) {
                ps.setString(1, target.schema());
                ps.setString(2, t.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("watched table " + target.schema() + "." + t.name()
                                + " of target '" + target.name() + "' does not exist in the database", "42P01");
                    }
                    tables.add(new WatchedTable(t, rs.getString(1), rs.getString(1) + "." + rs.getString(2),
                            rs.getString(3), rs.getLong(4), "f".equals(rs.getString(5))));
                }
            }
        }
        return tables;
    }
}
