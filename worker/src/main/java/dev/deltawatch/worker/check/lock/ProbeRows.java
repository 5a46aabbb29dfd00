package dev.deltawatch.worker.check.lock;

import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.ResolvedTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where active probes write, per layout. Probes write only on the delta side, never into a read-only mirror table:
 * <ul>
 *   <li>same row: probe rows of the mirror's table in the {@code probes.column} namespace ({@link ProbeMirrorRows});
 *   their delta and version are on that row;</li>
 *   <li>delta table with an owner column: an existing record is picked and the probe's delta is written under
 *   {@code probes.owner}; no mirror row is ever inserted;</li>
 *   <li>delta table without owner: a probe mirror row in the namespace (the record), and its delta row in the delta
 *   table.</li>
 * </ul>
 * A probe document is named by its record key. Cleanup deletes exactly the probe's deltas (the probe owner's, or
 * those of probe records) and probe rows; {@link #sweep} removes what a crashed probe left: probe rows whose creating
 * session is gone, and probe-owner deltas whose tag ({@value #TAG}: the creating session's pid) names a session
 * that is gone. Identifiers come from the catalog-checked target; values are bound.
 */
public final class ProbeRows {
    /** The key a probe tags its mirror row or its first delta with: {@code {"pid": ..., "createdAt": ...}}. */
    public static final String TAG = dev.deltawatch.contracts.RowImage.PROBE_TAG;

    private final ResolvedTarget.Table mirror;
    private final ResolvedTarget.Table delta;
    private final ProbeMirrorRows mirrorRows;
    private final String owner;
    private final String ownerType;

    private ProbeRows(ResolvedTarget.Table mirror, ResolvedTarget.Table delta, ProbeMirrorRows mirrorRows,
                      String owner, String ownerType) {
        this.mirror = mirror;
        this.delta = delta;
        this.mirrorRows = mirrorRows;
        this.owner = owner;
        this.ownerType = ownerType;
    }

    /** Resolves the placement of the target's layout against the catalog. */
    public static ProbeRows resolve(Connection c, CheckContext context) throws SQLException {
        ResolvedTarget target = context.target();
        ResolvedTarget.Table delta = target.deltaTable().orElse(null);
        if (delta != null && delta.owner() != null) {
            String type;
            try (PreparedStatement ps = c.prepareStatement("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                    + "WHERE attrelid = ?::regclass AND attname = ?")) {
                ps.setString(1, delta.qualifiedName());
                ps.setString(2, target.config().documents().delta().owner());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    type = rs.getString(1);
                }
            }
            return new ProbeRows(target.primaryTable(), delta, null, target.config().probes().owner(), type);
        }
        return new ProbeRows(target.primaryTable(), delta, ProbeMirrorRows.resolve(c, target), null, null);
    }

    /** True when probe documents are existing records written under the probe owner. */
    public boolean owned() {
        return owner != null;
    }

    /** The probe owner, or the probe rows' namespace. */
    public String namespace() {
        return owned() ? owner : mirrorRows.namespace();
    }

    /**
     * A record for a new probe document; returns its key as text. With an owner column: an existing record that has
     * no probe-owner delta yet (a random one of the first few, so concurrent probes rarely pick the same); else a
     * new committed probe row. The probe's delta is not created here (see {@link ProbeFixture}).
     */
    public String create(ProbeSession session) throws SQLException {
        if (!owned()) {
            return mirrorRows.create(session);
        }
        return session.inTransaction(c -> {
            String sql = "SELECT t." + mirror.key() + "::text FROM " + mirror.qualifiedName() + " t WHERE NOT EXISTS "
                    + "(SELECT 1 FROM " + delta.qualifiedName() + " dl WHERE dl." + delta.key() + " = t." + mirror.key()
                    + " AND dl." + delta.owner() + " = CAST(? AS " + ownerType + ")) OFFSET ? LIMIT 1";
            for (int offset : new int[] {ThreadLocalRandom.current().nextInt(64), 0}) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, owner);
                    ps.setInt(2, offset);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return rs.getString(1);
                        }
                    }
                }
            }
            throw new IllegalStateException("probes.owner: probes write drafts under '" + owner + "' against "
                    + "existing records, and " + mirror.qualifiedName() + " has none without one");
        });
    }

    /**
     * Inserts a probe document's delta row directly, for a layout whose write path cannot create one (no
     * {@code documents.version.firstWriteCreates}): the record (and owner) and the tagged delta; other columns take
     * their defaults.
     */
    void insertDelta(ProbeSession session, String key, String deltaJson) throws SQLException {
        session.inTransaction(c -> {
            String cols = delta.key() + ", " + delta.delta() + (owned() ? ", " + delta.owner() : "");
            String vals = "CAST(? AS " + mirror.keyType() + "), CAST(? AS jsonb)" + (owned() ? ", CAST(? AS "
                    + ownerType + ")" : "");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + delta.qualifiedName() + " (" + cols
                    + ") VALUES (" + vals + ")")) {
                ps.setString(1, key);
                ps.setString(2, deltaJson);
                if (owned()) {
                    ps.setString(3, owner);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Deletes the probe documents of the given records: their deltas, then (without owner) their probe rows. */
    public void delete(ProbeSession session, List<String> keys) throws SQLException {
        session.inTransaction(c -> {
            deleteDeltas(c, keys);
            if (!owned()) {
                mirrorRows.delete(c, keys);
            }
            return null;
        });
        if (!owned()) {
            mirrorRows.removeUnusedParent(session);
        }
    }

    /**
     * Removes what probes left whose creating session no longer exists (a crash mid-probe) or older than an hour.
     * Returns how many probe documents it removed. Safe while other probes run.
     */
    public int sweep(ProbeSession session) throws SQLException {
        return remove(session, false);
    }

    /**
     * Deletes every probe document whatever its creator (probe-owner deltas, probe rows and their deltas, the
     * namespace's parent row): {@code deltawatch uninstall} runs this once the workers are stopped.
     */
    public int deleteAll(ProbeSession session) throws SQLException {
        return remove(session, true);
    }

    private int remove(ProbeSession session, boolean all) throws SQLException {
        if (owned()) {
            return session.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + delta.qualifiedName() + " dl WHERE "
                        + ownerDeltas(all))) {
                    bindOwnerDeltas(ps, all);
                    return ps.executeUpdate();
                }
            });
        }
        int removed = session.inTransaction(c -> {
            List<String> keys = mirrorRows.keys(c, all);
            if (!keys.isEmpty()) {
                deleteDeltas(c, keys);
                mirrorRows.delete(c, keys);
            }
            return keys.size();
        });
        mirrorRows.removeUnusedParent(session);
        return removed;
    }

    /** How many probe documents exist (any creator). */
    public int count(ProbeSession session) throws SQLException {
        return session.inTransaction(c -> {
            if (!owned()) {
                return mirrorRows.keys(c, true).size();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + delta.qualifiedName() + " dl WHERE "
                    + ownerDeltas(true))) {
                bindOwnerDeltas(ps, true);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Where probe documents live, for messages. */
    public String describe() {
        return owned() ? delta.qualifiedName() + "." + delta.owner() + " = '" + owner + "'"
                : mirrorRows.describe() + (delta == null ? "" : " with their deltas in " + delta.qualifiedName());
    }

    private void deleteDeltas(Connection c, List<String> keys) throws SQLException {
        if (delta == null || keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + delta.qualifiedName() + " dl WHERE dl."
                + delta.key() + " = ANY (CAST(? AS " + mirror.keyType() + "[]))" + (owned() ? " AND dl." + delta.owner()
                + " = CAST(? AS " + ownerType + ")" : ""))) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            if (owned()) {
                ps.setString(2, owner);
            }
            ps.executeUpdate();
        }
    }

    /** The probe owner's deltas on alias {@code dl}; unless {@code all}, only those whose creator is gone. */
    private String ownerDeltas(boolean all) {
        String d = "dl." + delta.delta();
        return "dl." + delta.owner() + " = CAST(? AS " + ownerType + ")" + (all ? "" : " AND ((" + d + " -> ?) IS NULL "
                + "OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = (" + d + " -> ? ->> 'pid')::int) "
                + "OR (" + d + " -> ? ->> 'createdAt')::timestamptz < now() - interval '1 hour')");
    }

    private void bindOwnerDeltas(PreparedStatement ps, boolean all) throws SQLException {
        ps.setString(1, owner);
        if (!all) {
            for (int i = 2; i <= 4; i++) {
                ps.setString(i, TAG);
            }
        }
    }

    /** The tag a probe's first delta carries, so a sweep can tell a crashed probe's delta from a running one's. */
    static String tagJson(int pid) {
        return "{\"" + TAG + "\": {\"pid\": " + pid + ", \"createdAt\": \"" + java.time.Instant.now() + "\"}}";
    }
}
