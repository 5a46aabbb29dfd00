package dev.deltawatch.worker.check.lock;

import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.CheckContext;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What every write probe needs: the resolved write path and probe rows, an admin session, and cleanup. Opening
 * sweeps rows left by crashed probes; closing deletes the rows this probe created (and the namespace's parent row
 * once unused), whatever happened in between.
 */
final class ProbeFixture implements AutoCloseable {
    private final CheckContext context;
    private final LockProbeSettings settings;
    private final String probe;
    private final ProbeSession admin;
    private final WritePath writePath;
    private final ProbeRows rows;
    private final List<String> created = new ArrayList<>();

    private ProbeFixture(CheckContext context, LockProbeSettings settings, String probe, ProbeSession admin,
                         WritePath writePath, ProbeRows rows) {
        this.context = context;
        this.settings = settings;
        this.probe = probe;
        this.admin = admin;
        this.writePath = writePath;
        this.rows = rows;
    }

    static ProbeFixture open(CheckContext context, LockProbeSettings settings, String probe) throws SQLException {
        ProbeSession admin = ProbeSession.open(context.dataSource(), settings, probe + ":admin");
        try {
            WritePath wp = admin.inTransaction(c -> WritePath.resolve(c, context));
            ProbeRows rows = admin.inTransaction(c -> ProbeRows.resolve(c, context));
            rows.sweep(admin);
            return new ProbeFixture(context, settings, probe, admin, wp, rows);
        } catch (SQLException | RuntimeException e) {
            admin.close();
            throw e;
        }
    }

    WritePath writePath() {
        return writePath;
    }

    LockProbeSettings settings() {
        return settings;
    }

    ProbeSession admin() {
        return admin;
    }

    /** A new committed probe row; deleted on close. */
    String newRow() throws SQLException {
        String key = rows.create(admin);
        created.add(key);
        return key;
    }

    WritePath.RowState read(String key) throws SQLException {
        return admin.inTransaction(c -> writePath.read(c, key));
    }

    ProbeSession session(String name) throws SQLException {
        return ProbeSession.open(context.dataSource(), settings, probe + ":" + name);
    }

    /** The subject of write-path findings: the write function, schema-qualified, unquoted. */
    Subject subject() {
        return new Subject("function", context.target().config().schema() + "."
                + context.target().config().write().displayName());
    }

    @Override
    public void close() throws SQLException {
        try {
            if (!created.isEmpty()) {
                rows.delete(admin, created);
            }
        } finally {
            admin.close();
        }
    }
}
