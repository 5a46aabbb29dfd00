package dev.deltawatch.worker.check.lock;

import java.sql.SQLException;
import java.util.Objects;

/**
 * How the write path behaves when nothing races it, measured on a probe row of its own: a write carrying the
 * current version (the sanity write: it must succeed and change the row before any verdict counts), then a write
 * carrying a version the row no longer has. A version that steps by two, a path that ignores the version, a
 * conflict answered with a fake success: all show here, without concurrency, so the race probes can account for
 * them instead of misreading them as lost updates ({@link LockDiagnosis}).
 *
 * @param staleIsConflict the outdated write got the configured conflict
 * @param conflict     how the configured conflict reads in findings
 * @param staleVersion the outdated version the second write carried: the start version when the first write moved
 *                     the version, else start - 1 (a path that never moves the version has no outdated version, so
 *                     a wrong one stands in)
 */
record WriteProfile(String key, WritePath.RowState start, WriteOutcome fresh, WritePath.RowState afterFresh,
                    Object staleVersion, String staleLabel, WriteOutcome stale, WritePath.RowState afterStale,
                    boolean staleIsConflict, String conflict) {

    /** What became of the write carrying an outdated version. */
    enum StaleResult {
        /** Refused with the configured conflict error: correct. */
        CONFLICT,
        /** Refused with some other error: clients cannot tell a conflict from a failure. */
        OTHER_ERROR,
        /** Reported success and changed nothing: the caller believes an edit was saved that was dropped. */
        SWALLOWED,
        /** Changed the row: a newer edit was overwritten. */
        APPLIED
    }

    static final String PATCH_FIELD = "deltawatch_probe_edit";

    /** Runs the two sequential writes on a new probe document of {@code f} (deleted when {@code f} closes). */
    static WriteProfile measure(ProbeFixture f) throws SQLException {
        String key = f.newDocument();
        WritePath.RowState start = f.read(key);
        try (ProbeSession s = f.session("profile")) {
            s.begin();
            WriteOutcome fresh = SameVersionRaceCheck.finish(s, f.writePath().write(s.connection(), key,
                    "{\"" + PATCH_FIELD + "\": \"newer\"}", start.expected()));
            WritePath.RowState afterFresh = f.read(key);
            if (!fresh.succeeded() || afterFresh.deltaJson() == null
                    || !afterFresh.deltaJson().contains("newer")) {
                // The fixture's sanity write passed on another document; this one failing is no verdict either.
                throw new IllegalStateException("write through " + f.writePath().functionName() + " on probe "
                        + "document " + key + " with its current version " + start.versionLabel() + " did not apply: "
                        + fresh.describe() + ", delta after: " + afterFresh.deltaJson() + "; no lock verdict can count");
            }
            Object staleVersion;
            String staleLabel;
            if (!afterFresh.sameVersion(start)) {
                staleVersion = start.expected();
                staleLabel = start.versionLabel();
            } else if (start.token() != null) {
                // The token never moved: no outdated token exists, so one of its type that differs stands in.
                WritePath.Token other = s.inTransaction(c -> f.writePath().otherToken(c, start.token()));
                staleVersion = other;
                staleLabel = other.label();
            } else {
                staleVersion = start.version() - 1;
                staleLabel = String.valueOf(start.version() - 1);
            }
            s.begin();
            WriteOutcome stale = SameVersionRaceCheck.finish(s, f.writePath().write(s.connection(), key,
                    "{\"" + PATCH_FIELD + "\": \"stale\"}", staleVersion));
            WritePath.RowState afterStale = f.read(key);
            return new WriteProfile(key, start, fresh, afterFresh, staleVersion, staleLabel, stale, afterStale,
                    f.writePath().isConflict(stale), f.writePath().conflictDescription());
        }
    }

    /** True for a token version: it must change on every write, and its values are not counted. */
    boolean token() {
        return start.token() != null;
    }

    /**
     * How much one write with the current version moved the version (1 on a correct path). For a token: 1 when it
     * changed, 0 when it did not (a token has no step; it only has to change).
     */
    long step() {
        if (token()) {
            return afterFresh.sameVersion(start) ? 0 : 1;
        }
        return afterFresh.version() - start.version();
    }

    StaleResult staleResult() {
        boolean changed = !afterStale.sameVersion(afterFresh)
                || !Objects.equals(afterStale.deltaJson(), afterFresh.deltaJson());
        if (changed) {
            return StaleResult.APPLIED;
        }
        if (stale.succeeded()) {
            return StaleResult.SWALLOWED;
        }
        return staleIsConflict ? StaleResult.CONFLICT : StaleResult.OTHER_ERROR;
    }

    /** The path ignores the expected version and never moves it: there is no optimistic locking to probe. */
    boolean unversioned() {
        return step() == 0 && staleResult() == StaleResult.APPLIED;
    }

    /** One writer at a time sees a correct path: +1 per write, an outdated version refused with the conflict. */
    boolean sound() {
        return step() == 1 && staleResult() == StaleResult.CONFLICT;
    }

    /** The two writes and the row after each, for evidence. */
    String describe() {
        boolean outdated = !afterFresh.sameVersion(start);
        return "write with the current version " + start.versionLabel() + ": " + fresh.describe()
                + "\n  row after: version " + afterFresh.versionLabel() + ", delta " + afterFresh.deltaJson()
                + "\nwrite with " + (outdated ? "the outdated" : "the wrong") + " version " + staleLabel + ": "
                + stale.describe() + "\n  row after: version " + afterStale.versionLabel() + ", delta "
                + afterStale.deltaJson();
    }
}
