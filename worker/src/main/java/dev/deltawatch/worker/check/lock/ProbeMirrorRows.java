package dev.deltawatch.worker.check.lock;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Probe mirror rows: rows of the mirror's table whose probe column ({@code probes.column}) holds the reserved
 * namespace, for layouts whose probes need a record of their own (same row; a delta table without owner). Each
 * row's mirror is tagged with the backend pid of the session that made it, so {@link #sweepable} finds rows whose
 * creator is gone (a probe that crashed mid-run) without touching the rows of a probe still running elsewhere. A
 * probe row's key comes from the key column's default, else from {@code probes.keyTemplate}. When the probe column
 * references a parent table (the reference target's {@code organizations}), the parent row is inserted
 * {@code ON CONFLICT DO NOTHING} and removed once no probe row needs it. Identifiers are looked up in the catalog
 * and quoted; values are bound.
 */
final class ProbeMirrorRows {
    /** Feeds {@code {n}} of the key template: unique within this process, and unlikely to repeat across restarts. */
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis() * 1000);

    private final ResolvedTarget.Table table;
    private final String namespace;
    private final String probeColumn;
    private final String probeType;
    private final String keyTemplate;
    private final ParentRow parent;

    /** The parent row the namespace needs: quoted table, key column, and the other required text columns. */
    record ParentRow(String table, String keyColumn, List<String> requiredTextColumns) {}

    private ProbeMirrorRows(ResolvedTarget.Table table, String namespace, String probeColumn, String probeType,
                            String keyTemplate, ParentRow parent) {
        this.table = table;
        this.namespace = namespace;
        this.probeColumn = probeColumn;
        this.probeType = probeType;
        this.keyTemplate = keyTemplate;
        this.parent = parent;
    }

    /** Checks {@code probes.column} and the key's default (or {@code probes.keyTemplate}) against the catalog. */
    static ProbeMirrorRows resolve(Connection c, ResolvedTarget target) throws SQLException {
        ResolvedTarget.Table t = target.primaryTable();
        TargetConfig.Probes probes = target.config().probes();
        if (probes.column() == null) {
            throw new IllegalStateException("probes.column: probes on target '" + target.config().name() + "' need "
                    + "their own rows in " + t.qualifiedName() + " (its layout has no owner column to write under); "
                    + "name the column that holds the probe namespace '" + probes.namespace() + "'");
        }
        String type = null;
        boolean keyHasDefault = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(a.atttypid, a.atttypmod), "
                + "(SELECT k.atthasdef OR k.attidentity <> '' FROM pg_attribute k WHERE k.attrelid = a.attrelid "
                + "AND k.attname = ?) FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attname = ? "
                + "AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, t.keyColumn());
            ps.setString(2, t.qualifiedName());
            ps.setString(3, probes.column());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    type = rs.getString(1);
                    keyHasDefault = rs.getBoolean(2);
                }
            }
        }
        if (type == null) {
            throw new IllegalStateException("probes.column: table " + t.qualifiedName() + " has no column '"
                    + probes.column() + "'; probe rows need a column to hold the namespace '" + probes.namespace() + "'");
        }
        if (!keyHasDefault && probes.keyTemplate() == null) {
            throw new IllegalStateException("probes.keyTemplate: the key '" + t.keyColumn() + "' of " + t.qualifiedName()
                    + " has no default, so probe rows need a key template (e.g. \"dw-probe-{n}\") of type " + t.keyType());
        }
        return new ProbeMirrorRows(t, probes.namespace(), SqlIdentifiers.quote(probes.column()), type,
                keyHasDefault ? null : probes.keyTemplate(), parentOf(c, t.qualifiedName(), probes.column()));
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
                        throw new IllegalStateException("probes.namespace: probe rows need a row in " + parentTable
                                + ", whose required column '" + rs.getString(1) + "' (" + rs.getString(2)
                                + ") deltawatch cannot fill; insert that row yourself");
                    }
                    required.add(SqlIdentifiers.quote(rs.getString(1)));
                }
            }
        }
        return new ParentRow(parentTable, SqlIdentifiers.quote(parentKey), List.copyOf(required));
    }

    String namespace() {
        return namespace;
    }

    /** Creates one committed probe row tagged with the session's pid; returns its key as text. */
    String create(ProbeSession session) throws SQLException {
        return session.inTransaction(c -> {
            ensureNamespace(c);
            String keyColumn = keyTemplate == null ? "" : ", " + table.key();
            String keyValue = keyTemplate == null ? "" : ", CAST(? AS " + table.keyType() + ")";
            String sql = "INSERT INTO " + table.qualifiedName() + " (" + probeColumn + ", " + table.mirror() + keyColumn
                    + ") VALUES (CAST(? AS " + probeType + "), jsonb_build_object(?, jsonb_build_object('pid', "
                    + "pg_backend_pid(), 'createdAt', now()))" + keyValue + ") RETURNING " + table.key() + "::text";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, namespace);
                ps.setString(2, ProbeRows.TAG);
                if (keyTemplate != null) {
                    ps.setString(3, keyTemplate.replace("{n}", Long.toString(SERIAL.incrementAndGet())));
                }
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

    /** Deletes the given probe rows (only rows in the namespace, whatever the keys say). */
    void delete(Connection c, List<String> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table.qualifiedName() + " WHERE "
                + probeColumn + " = CAST(? AS " + probeType + ") AND " + table.key() + "::text = ANY (?)")) {
            ps.setString(1, namespace);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Keys of probe rows left by sessions that no longer exist (a crash mid-probe) or older than an hour; with
     * {@code all}, of every probe row whatever its creator.
     */
    List<String> keys(Connection c, boolean all) throws SQLException {
        String m = table.mirror();
        String sql = "SELECT " + table.key() + "::text FROM " + table.qualifiedName() + " WHERE " + probeColumn
                + " = CAST(? AS " + probeType + ")" + (all ? "" : " AND ((" + m + " -> ?) IS NULL "
                + "OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = (" + m + " -> ? ->> 'pid')::int) "
                + "OR (" + m + " -> ? ->> 'createdAt')::timestamptz < now() - interval '1 hour')");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, namespace);
            if (!all) {
                ps.setString(2, ProbeRows.TAG);
                ps.setString(3, ProbeRows.TAG);
                ps.setString(4, ProbeRows.TAG);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** Where probe rows live, for messages: {@code public.pfa_records.organization_id = '__deltawatch_probe__'}. */
    String describe() {
        return table.qualifiedName() + "." + probeColumn + " = '" + namespace + "'"
                + (parent == null ? "" : " (and its row in " + parent.table() + ")");
    }

    /** Removes the namespace's parent row once no probe row needs it. */
    void removeUnusedParent(ProbeSession session) throws SQLException {
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
