package dev.deltawatch.worker.capture;

import dev.deltawatch.contracts.TargetConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of the target's layout as found in the catalog, with the columns capture reads from its rows.
 *
 * @param config          which columns of this table hold the document's parts (null where a part lives elsewhere)
 * @param schema          its schema (unquoted)
 * @param qualifiedName   {@code schema.table} as Debezium and the contracts name it (unquoted)
 * @param quotedName      the same, quoted for SQL
 * @param oid             its {@code pg_class} oid
 * @param replicaIdentityFull true when {@code relreplident = 'f'}: only then are before images complete
 */
public record WatchedTable(Columns config, String schema, String qualifiedName, String quotedName,
                           long oid, boolean replicaIdentityFull) {

    /**
     * The columns of one table of the layout.
     *
     * @param keyColumn    the record key: the mirror's key, or the delta table's reference to it
     * @param ownerColumn  the delta table's owner column; null elsewhere
     * @param versionToken the version is compared for change only (not an integer)
     */
    public record Columns(String table, String keyColumn, String ownerColumn, String mirrorColumn, String deltaColumn,
                          String versionColumn, boolean versionToken) {
        /** The tables of a target's layout, mirror first. */
        public static List<Columns> of(TargetConfig target) {
            TargetConfig.Documents d = target.documents();
            boolean token = d.version().kind() == TargetConfig.Version.Kind.TOKEN;
            String version = d.version().column();
            if (d.sameRow()) {
                return List.of(new Columns(d.mirror().table(), d.mirror().key(), null, d.mirror().column(),
                        d.delta().column(), version, token));
            }
            boolean onDelta = d.version().on() == TargetConfig.Version.Side.DELTA;
            return List.of(new Columns(d.mirror().table(), d.mirror().key(), null, d.mirror().column(), null,
                            onDelta ? null : version, token),
                    new Columns(d.delta().table(), d.delta().record(), d.delta().owner(), null, d.delta().column(),
                            onDelta ? version : null, token));
        }
    }

    /** Looks every table of {@code target}'s layout up in the catalog; a missing table is an error naming it. */
    public static List<WatchedTable> resolve(Connection c, TargetConfig target) throws SQLException {
        List<WatchedTable> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT n.nspname, c.relname, format('%I.%I', n.nspname, c.relname), c.oid, c.relreplident
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')""")) {
            for (Columns t : Columns.of(target)) {
                ps.setString(1, target.schema());
                ps.setString(2, t.table());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("watched table " + target.schema() + "." + t.table()
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
