package dev.deltawatch.worker.check.lock;

/**
 * Names the defect a lock probe's evidence shows, so each finding is titled for what it is. Pure: the sequential
 * {@link WriteProfile} and a race's numbers in, a verdict out; no I/O.
 *
 * <p>Each rule has one owner, so one defect is one finding: {@link StaleWriteCheck} owns what one writer at a
 * time reveals ({@value #VERSION_STEP}, {@value #UNVERSIONED}, {@value #STALE_WRITE_APPLIED},
 * {@value #CONFLICT_SWALLOWED}, {@value #UNCLEAR_CONFLICT_ERROR}); {@link SameVersionRaceCheck} owns
 * {@value #SAME_VERSION_RACE} and {@value #CHECK_THEN_ACT}; {@link LostUpdateCheck} owns {@value #LOST_UPDATE}. The
 * race probes count in units of the measured version step and count a swallowed conflict as swallowed, so a path
 * that bumps by two or answers a conflict with a fake success is not misread as losing updates.
 */
final class LockDiagnosis {
    /** Concurrent read-modify-writes applied (the version counted them) but their effect is gone. */
    static final String LOST_UPDATE = "lost-update";
    /** One write with the current version moves the version by other than +1. */
    static final String VERSION_STEP = "version-step-not-one";
    /** An outdated version is refused with a success answer and no change. */
    static final String CONFLICT_SWALLOWED = "conflict-swallowed";
    /** A write carrying an outdated version changed the row. */
    static final String STALE_WRITE_APPLIED = "stale-write-accepted";
    /** An outdated version is refused, but not with the configured conflict error. */
    static final String UNCLEAR_CONFLICT_ERROR = "stale-write-unclear-error";
    /** The path ignores the expected version and never moves it. */
    static final String UNVERSIONED = "unversioned-write-path";
    /** Correct one writer at a time, yet two writers with one version both apply: check and write are apart. */
    static final String CHECK_THEN_ACT = "check-then-act-not-atomic";
    /** Two writers with one version did not end as one applied and one conflict, for a reason not named above. */
    static final String SAME_VERSION_RACE = "same-version-race";

    private LockDiagnosis() {}

    /** A race probe's verdict: a rule that failed, a pass, or not judged (another rule names the whole defect). */
    record Verdict(String failedRule, boolean judged) {
        static final Verdict PASS = new Verdict(null, true);
        static final Verdict NOT_JUDGED = new Verdict(null, false);

        static Verdict fail(String rule) {
            return new Verdict(rule, true);
        }

        boolean failed() {
            return failedRule != null;
        }
    }

    /**
     * Two writers with the same expected version: {@code wins} reported success, {@code conflicts} got the
     * configured conflict error, and the version rose by {@code rose} (for a token: how many of the two writes
     * applied when the token changed, else 0).
     */
    static Verdict sameVersionRace(WriteProfile p, long wins, long conflicts, long rose) {
        if (p.unversioned()) {
            return Verdict.NOT_JUDGED; // no optimistic locking at all: there is nothing for two writers to race
        }
        long step = p.step();
        boolean oneApplied = step > 0 && rose == step;
        if (oneApplied && wins == 1 && conflicts == 1) {
            return Verdict.PASS;
        }
        if (oneApplied && wins == 2 && p.staleResult() == WriteProfile.StaleResult.SWALLOWED) {
            return Verdict.PASS; // one applied; the loser's fake success is the stale-write check's finding
        }
        if (wins == 2 && p.sound()) {
            return Verdict.fail(CHECK_THEN_ACT);
        }
        return Verdict.fail(SAME_VERSION_RACE);
    }

    /** What a read-modify-write race shows, in writes. */
    record Tally(long reported, long applied, long lost, long swallowed) {}

    /**
     * Counts a read-modify-write race: {@code reported} writes reported success, the counter ended at
     * {@code counter}, the version rose by {@code rose}. Applied writes are the version rise in units of the
     * measured step (every reported success, when the version does not move; for a token, pass {@code rose =
     * reported}: a token does not count writes); lost ones applied without their
     * effect surviving; swallowed ones reported success without applying.
     */
    static Tally readModifyWrite(WriteProfile p, long reported, long counter, long rose) {
        long step = p.step();
        long applied = step > 0 ? rose / step : reported;
        return new Tally(reported, applied, Math.max(0, applied - counter), Math.max(0, reported - applied));
    }

    static Verdict lostUpdate(WriteProfile p, Tally t) {
        if (p.unversioned()) {
            return Verdict.NOT_JUDGED; // every write applies blindly: the unversioned-path finding says it all
        }
        if (p.token() && p.staleResult() == WriteProfile.StaleResult.SWALLOWED) {
            // A token does not count writes, so fake successes cannot be told from lost ones: the swallowed-conflict
            // finding names the defect.
            return Verdict.NOT_JUDGED;
        }
        return t.lost() > 0 ? Verdict.fail(LOST_UPDATE) : Verdict.PASS;
    }
}
