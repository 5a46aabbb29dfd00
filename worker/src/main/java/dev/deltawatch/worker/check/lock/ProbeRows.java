package dev.deltawatch.worker.check.lock;

import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The probe rows: rows of the primary watched table whose probe column ({@code TargetConfig.probes.column})
 * holds the reserved namespace value. Each row's mirror is tagged with the backend pid of the session that made
 * it, so {@link #sweep} removes rows whose creator is gone (a probe that crashed mid-run) without touching the
 * rows of a probe still running elsewhere. When the probe column references a parent table (the reference
 * target's {@code organizations}), the parent row is inserted {@code ON CONFLICT DO NOTHING} and removed once no
 * probe row needs it. Probe columns and the parent are looked up in the catalog and quoted; values are bound.
 */
public final class ProbeRows {
    static final String TAG = "deltawatch_probe";

    private final ResolvedTarget.Table table;
    private final String namespace;
    private final String probeColumn;
    private final String probeType;
    private final ParentRow parent;

    /** The parent row the namespace needs: quoted table, key column, and the other required text columns. */
    record ParentRow(String table, String keyColumn, List<String> requiredTextColumns) {}

    private ProbeRows(ResolvedTarget.Table table, String namespace, String probeColumn, String probeType,
                      ParentRow parent) {
        this.table = table;
        this.namespace = namespace;
        this.probeColumn = probeColumn;
        this.probeType = probeType;
        this.parent = parent;
    }

    /** Checks the configured probe column against the catalog and finds the parent row it references, if any. */
    public static ProbeRows resolve(Connection c, CheckContext context) throws SQLException {
        ResolvedTarget.Table t = context.target().primaryTable();
        var probes = context.target().config().probes();
        String type = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(a.atttypid, a.atttypmod) "
                + "FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attname = ? AND a.attnum > 0 "
                + "AND NOT a.attisdropped")) {
            ps.setString(1, t.qualifiedName());
            ps.setString(2, probes.column());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    type = rs.getString(1);
                }
            }
        }
        if (type == null) {
            throw new IllegalStateException("probes.column: table " + t.qualifiedName() + " has no column '"
                    + probes.column() + "'; probe rows need a column to hold the namespace '" + probes.namespace() + "'");
        }
        return new ProbeRows(t, probes.namespace(), SqlIdentifiers.quote(probes.column()), type,
                parentOf(c, t.qualifiedName(), probes.column()));
    }

    private static ParentRow parentOf(Connection c, String table, String column) throws SQLException {
        String sql = "SELECT quote_ident(pn.nspname) || '.' || quote_ident(pc.relname), pa.attname, pc.oid "
                + "FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
                + "JOIN pg_class pc ON pc.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace "
                + "JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1] "
                + "WHERE k.conrelid = ?::regclass AND k.contype = 'f' AND cardinality(k.conkey) = 1 AND a.attname = ?";
        String parentTable;
        String parentKey;
        long parentOid;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                parentTable = rs.getString(1);
                parentKey = rs.getString(2);
                parentOid = rs.getLong(3);
            }
        }
        List<String> required = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname, format_type(atttypid, atttypmod) "
                + "FROM pg_attribute WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped AND attnotnull "
                + "AND NOT atthasdef AND attidentity = '' AND attgenerated = '' AND attname <> ?")) {
            ps.setLong(1, parentOid);
            ps.setString(2, parentKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString(2).matches("text|character varying.*")) {
                        throw new IllegalStateException("probe namespace needs a row in " + parentTable
                                + ", whose required column '" + rs.getString(1) + "' (" + rs.getString(2)
                                + ") deltawatch cannot fill; insert that row yourself");
                    }
                    required.add(SqlIdentifiers.quote(rs.getString(1)));
                }
            }
        }
        return new ParentRow(parentTable, SqlIdentifiers.quote(parentKey), List.copyOf(required));
    }

    public String namespace() {
        return namespace;
    }

    /** Creates one committed probe row with the given mirror fields; returns its key as text. */
    public String create(ProbeSession session) throws SQLException {
        return session.inTransaction(c -> {
            ensureNamespace(c);
            String sql = "INSERT INTO " + table.qualifiedName() + " (" + probeColumn + ", " + table.mirror() + ") "
                    + "VALUES (CAST(? AS " + probeType + "), jsonb_build_object(?, jsonb_build_object('pid', "
                    + "pg_backend_pid(), 'createdAt', now()))) RETURNING " + table.key() + "::text";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, namespace);
                ps.setString(2, TAG);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private void ensureNamespace(Connection c) throws SQLException {
        if (parent == null) {
            return;
        }
        StringBuilder cols = new StringBuilder(parent.keyColumn());
        StringBuilder vals = new StringBuilder("?");
        for (String col : parent.requiredTextColumns()) {
            cols.append(", ").append(col);
            vals.append(", ?");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + parent.table() + " (" + cols + ") VALUES ("
                + vals + ") ON CONFLICT DO NOTHING")) {
            ps.setString(1, namespace);
            for (int i = 0; i < parent.requiredTextColumns().size(); i++) {
                ps.setString(i + 2, "deltawatch probe namespace");
            }
            ps.executeUpdate();
        }
    }

    /** Deletes the given probe rows (only rows in the namespace, whatever the keys say) and the parent if unused. */
    public void delete(ProbeSession session, List<String> keys) throws SQLException {
        session.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table.qualifiedName() + " WHERE "
                    + probeColumn + " = CAST(? AS " + probeType + ") AND " + table.key() + "::text = ANY (?)")) {
                ps.setString(1, namespace);
                ps.setArray(2, c.createArrayOf("text", keys.toArray()));
                ps.executeUpdate();
            }
            return null;
        });
        removeUnusedParent(session);
    }

    /**
     * Removes probe rows left by sessions that no longer exist (a crash mid-probe) or older than an hour, and the
     * namespace's parent row once unused. Returns how many rows it removed. Safe while other probes run.
     */
    public int sweep(ProbeSession session) throws SQLException {
        int removed = session.inTransaction(c -> {
            String sql = "DELETE FROM " + table.qualifiedName() + " WHERE " + probeColumn + " = CAST(? AS "
                    + probeType + ") AND ((" + table.mirror() + " -> ?) IS NULL "
                    + "OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = (" + table.mirror()
                    + " -> ? ->> 'pid')::int) OR (" + table.mirror() + " -> ? ->> 'createdAt')::timestamptz "
                    + "< now() - interval '1 hour')";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, namespace);
                ps.setString(2, TAG);
                ps.setString(3, TAG);
                ps.setString(4, TAG);
                return ps.executeUpdate();
            }
        });
        removeUnusedParent(session);
        return removed;
    }

    /**
     * Deletes every probe row whatever its creator, and the namespace's parent row: {@code deltawatch uninstall}
     * runs this once the workers are stopped. Returns how many probe rows it removed.
     */
    public int deleteAll(ProbeSession session) throws SQLException {
        int removed = session.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table.qualifiedName() + " WHERE "
                    + probeColumn + " = CAST(? AS " + probeType + ")")) {
                ps.setString(1, namespace);
                return ps.executeUpdate();
            }
        });
        removeUnusedParent(session);
        return removed;
    }

    /** Where probe rows live, for messages: {@code public.pfa_records.organization_id = '__deltawatch_probe__'}. */
    public String describe() {
        return table.qualifiedName() + "." + probeColumn + " = '" + namespace + "'"
                + (parent == null ? "" : " (and its row in " + parent.table() + ")");
    }

    /** How many probe rows exist (any creator). */
    public int count(ProbeSession session) throws SQLException {
        return session.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table.qualifiedName()
                    + " WHERE " + probeColumn + " = CAST(? AS " + probeType + ")")) {
                ps.setString(1, namespace);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private void removeUnusedParent(ProbeSession session) throws SQLException {
        if (parent == null) {
            return;
        }
        try {
            session.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + parent.table() + " WHERE "
                        + parent.keyColumn() + " = ? AND NOT EXISTS (SELECT 1 FROM " + table.qualifiedName()
                        + " WHERE " + probeColumn + " = CAST(? AS " + probeType + "))")) {
                    ps.setString(1, namespace);
                    ps.setString(2, namespace);
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            // 23503: a concurrent probe inserted a row meanwhile; the parent is still needed, which is fine.
            if (!"23503".equals(e.getSQLState())) {
                throw e;
            }
        }
    }
}
