package dev.deltawatch.worker.capture;

import dev.deltawatch.worker.infra.PostgresAddress;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the replica identity of the watched tables while capture runs. Capture relies on {@code REPLICA IDENTITY
 * FULL}: only then do before images carry the version and the JSON columns (the passive version check judges an
 * update by them, and an unchanged TOASTed value is filled from them). An {@code ALTER TABLE ... REPLICA IDENTITY}
 * after capture started is applied to the {@link ChangeEventMapper} within one interval, so later images are
 * marked incomplete instead of passing for whole, and logged once per change naming the table. The finding itself
 * comes from the hygiene check {@code hygiene.replica-identity}, which the DDL re-runs. Runs on capture's scheduler
 * thread; {@link #notFull()} may be read from any thread.
 */
final class ReplicaIdentityWatch implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaIdentityWatch.class);

    private final PostgresAddress pg;
    private final List<WatchedTable> tables;
    private final ChangeEventMapper mapper;
    private final Map<String, String> current = new ConcurrentHashMap<>();

    ReplicaIdentityWatch(PostgresAddress pg, List<WatchedTable> tables, ChangeEventMapper mapper) {
        this.pg = pg;
        this.tables = tables;
        this.mapper = mapper;
        for (WatchedTable t : tables) {
            current.put(t.qualifiedName(), t.replicaIdentityFull() ? "FULL" : "not FULL");
        }
    }

    @Override
    public void run() {
        try (Connection c = pg.connect("deltawatch-capture");
             PreparedStatement ps = c.prepareStatement("""
                     SELECT format('%s.%s', n.nspname, c.relname),
                            CASE c.relreplident WHEN 'f' THEN 'FULL' WHEN 'd' THEN 'DEFAULT' WHEN 'n' THEN 'NOTHING'
                                 ELSE 'USING INDEX' END
                       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE c.oid = ANY (?)""")) {
            Array oids = c.createArrayOf("oid", tables.stream().map(WatchedTable::oid).toArray());
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    apply(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("capture: replica identity poll failed, retrying at the next interval: {}", e.getMessage());
        }
    }

    private void apply(String table, String identity) {
        String was = current.put(table, identity);
        if (identity.equals(was)) {
            return;
        }
        boolean full = identity.equals("FULL");
        mapper.replicaIdentity(table, full);
        if (full) {
            LOG.info("capture: table {} is REPLICA IDENTITY FULL again (was {}): before images are whole", table, was);
        } else {
            LOG.warn("capture: table {} is now REPLICA IDENTITY {} (was {}): before images carry only {}; updates "
                    + "of its rows cannot be judged by version discipline until it is FULL again", table, identity,
                    was, identity.equals("NOTHING") ? "nothing (PostgreSQL rejects its UPDATEs and DELETEs while it "
                            + "is published)" : "the key");
        }
    }

    /** Watched tables that are not {@code REPLICA IDENTITY FULL} as last seen, with their identity. */
    Map<String, String> notFull() {
        Map<String, String> out = new TreeMap<>();
        current.forEach((t, id) -> {
            if (!id.equals("FULL")) {
                out.put(t, id);
            }
        });
        return out;
    }
}
