package dev.deltawatch.worker.check.lock;

import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.Documents;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What every write probe (lock and edge) needs: the resolved write path and probe placement, an admin session, and
 * cleanup. Opening sweeps what crashed probes left, then makes the <em>sanity write</em>: a valid patch at the
 * current version of a probe document must succeed and show in the delta before any verdict of a probe counts. If
 * it does not, the write path is not called the way the config says (wrong argument roles, a statement that does
 * not fit, a probe owner the schema refuses): opening fails with a message naming the config field to fix, and the
 * check ends as an ERROR run — never a pass, never a finding. Closing deletes the probe documents this fixture
 * created, whatever happened in between.
 */
public final class ProbeFixture implements AutoCloseable {
    static final String SANITY_FIELD = "deltawatch_probe_sanity";

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

    /** Resolves, sweeps and makes the sanity write; throws (naming the config field) when the write path is unusable. */
    public static ProbeFixture open(CheckContext context, LockProbeSettings settings, String probe) throws SQLException {
        ProbeSession admin = ProbeSession.open(context.dataSource(), settings, probe + ":admin");
        ProbeFixture f = null;
        try {
            WritePath wp = admin.inTransaction(c -> WritePath.resolve(c, context));
            ProbeRows rows = admin.inTransaction(c -> ProbeRows.resolve(c, context));
            rows.sweep(admin);
            f = new ProbeFixture(context, settings, probe, admin, wp, rows);
            f.sanityWrite();
            return f;
        } catch (SQLException | RuntimeException e) {
            if (f != null) {
                f.close();
            } else {
                admin.close();
            }
            throw e;
        }
    }

    public WritePath writePath() {
        return writePath;
    }

    LockProbeSettings settings() {
        return settings;
    }

    ProbeSession admin() {
        return admin;
    }

    /**
     * A new probe document with a delta (deleted on close); returns its record key. Where deltas live in their own
     * table the delta is created first, through the write path's first write when it creates
     * ({@code documents.version.firstWriteCreates}), else inserted directly, so every probe exercises the path that
     * updates an existing delta.
     */
    public String newDocument() throws SQLException {
        for (int attempt = 1; ; attempt++) {
            String key = rows.create(admin);
            if (context.target().deltaTable().isEmpty()) {
                created.add(key);
                return key;
            }
            String tag = ProbeRows.tagJson(admin.backendPid());
            if (!context.target().config().documents().version().firstWriteCreates()) {
                created.add(key);
                rows.insertDelta(admin, key, tag);
                return key;
            }
            WritePath.RowState before = read(key);
            admin.begin();
            WriteOutcome o = SameVersionRaceCheck.finish(admin, writePath.write(admin.connection(), key, tag,
                    before.expected()));
            if (o.succeeded() || !rows.owned()) {
                created.add(key); // a probe row is ours even when its first write failed: delete it on close
            }
            if (!o.succeeded() && rows.owned() && writePath.isConflict(o) && attempt < 3) {
                continue; // another probe claimed the same record meanwhile: pick another
            }
            WritePath.RowState after = read(key);
            if (!o.succeeded() || after.deltaJson() == null || !after.deltaJson().contains(ProbeRows.TAG)) {
                throw unusable(key, "first write (creating the probe's delta", before, o, after, true);
            }
            return key;
        }
    }

    /** A valid patch at the current version must succeed and show in the delta. */
    private void sanityWrite() throws SQLException {
        String key = newDocument();
        WritePath.RowState before = read(key);
        admin.begin();
        WriteOutcome o = SameVersionRaceCheck.finish(admin, writePath.write(admin.connection(), key,
                "{\"" + SANITY_FIELD + "\": \"ok\"}", before.expected()));
        WritePath.RowState after = read(key);
        if (!o.succeeded() || after.deltaJson() == null || !after.deltaJson().contains(SANITY_FIELD)) {
            throw unusable(key, "sanity write (a valid patch", before, o, after, false);
        }
    }

    private IllegalStateException unusable(String key, String what, WritePath.RowState before, WriteOutcome o,
                                           WritePath.RowState after, boolean firstWrite) {
        String field = writePath.callField();
        String text = (o.message() + " " + o.detail()).toLowerCase(java.util.Locale.ROOT);
        TargetConfig.Documents docs = context.target().config().documents();
        if (rows.owned() && !o.succeeded() && (text.contains(writePath.owner().toLowerCase(java.util.Locale.ROOT))
                || text.contains(docs.delta().owner().toLowerCase(java.util.Locale.ROOT)))) {
            field = "probes.owner";
        } else if (firstWrite && writePath.isConflict(o)) {
            field = "documents.version.firstWriteCreates";
        }
        String result = o.succeeded() ? "reported success but the delta is " + after.deltaJson()
                : "failed: " + o.describe() + (o.where() == null ? "" : " (raised inside the write path: if the "
                + "config is right, the write path itself refuses a valid write)");
        String hint = switch (field) {
            case "probes.owner" -> "probes write under this owner; give an owner value the owner column '"
                    + docs.delta().owner() + "' accepts";
            case "documents.version.firstWriteCreates" -> "a write with expected version " + before.versionLabel()
                    + " for a document without a delta is a conflict: set firstWriteCreates: false if the write path "
                    + "cannot create a delta";
            case "write.arguments" -> "the roles " + context.target().config().write().arguments().stream()
                    .map(a -> a.role() == TargetConfig.Argument.Role.CONSTANT ? String.valueOf(a.value())
                            : a.role() == TargetConfig.Argument.Role.EXPECTED_VERSION ? "expectedVersion"
                            : a.role().name().toLowerCase(java.util.Locale.ROOT)).toList()
                    + " must follow the function's parameters (" + writePath.signature() + ")";
            default -> "the statement must write :patch into the delta of :key" + (rows.owned() ? " under :owner" : "")
                    + " when :expectedVersion is the current version";
        };
        return new IllegalStateException(field + ": the " + what + " at the current version " + before.versionLabel()
                + ") through " + writePath.functionName() + " on probe document "
                + Documents.label(key, writePath.owner()) + " " + result.replace('\n', ' ') + "; " + hint
                + ". No lock or edge verdict can count until a valid write succeeds.");
    }

    public WritePath.RowState read(String key) throws SQLException {
        return admin.inTransaction(c -> writePath.read(c, key));
    }

    public ProbeSession session(String name) throws SQLException {
        return ProbeSession.open(context.dataSource(), settings, probe + ":" + name);
    }

    /** The subject of write-path findings: {@code write-path:<function>} or {@code write-path:write.statement}. */
    public Subject subject() {
        TargetConfig.Write write = context.target().config().write();
        return new Subject("write-path", write.function() != null ? write.function() : "write.statement");
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
