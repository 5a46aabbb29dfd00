package dev.deltawatch.worker.check.lock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The diagnosis on the numbers the probes measure: no database. */
class LockDiagnosisTest {
    private static final WriteOutcome CONFLICT = new WriteOutcome(null, "PF409", "Version conflict on record 1", null,
            null, null);

    /** A profile: the first write moved version 1 to {@code afterFresh}; the outdated write had {@code stale}. */
    private static WriteProfile profile(long afterFresh, WriteOutcome stale, long afterStaleVersion,
                                        String afterStaleDelta) {
        long staleVersion = afterFresh != 1 ? 1 : 0;
        return new WriteProfile("1", new WritePath.RowState(1, null, "{}"), WriteOutcome.success(afterFresh),
                new WritePath.RowState(afterFresh, null, "{\"e\":\"newer\"}"), staleVersion,
                String.valueOf(staleVersion), stale, new WritePath.RowState(afterStaleVersion, null, afterStaleDelta),
                "PF409".equals(stale.sqlState()), "PF409 'Version conflict'");
    }

    /** A token profile: the first write moved token t1 to {@code afterFresh}; the outdated write had {@code stale}. */
    private static WriteProfile tokenProfile(String afterFresh, WriteOutcome stale, String afterStale,
                                             String afterStaleDelta) {
        WritePath.Token t1 = new WritePath.Token("t1");
        return new WriteProfile("k", new WritePath.RowState(0, t1, "{}"), WriteOutcome.success(null),
                new WritePath.RowState(0, new WritePath.Token(afterFresh), "{\"e\":\"newer\"}"), t1, "'t1'", stale,
                new WritePath.RowState(0, new WritePath.Token(afterStale), afterStaleDelta),
                "PF409".equals(stale.sqlState()), "PF409 'Version conflict'");
    }

    @Test
    void aTokenThatChangesIsOneStepAndOneThatDoesNotIsNone() {
        WriteProfile moves = tokenProfile("t2", CONFLICT, "t2", "{\"e\":\"newer\"}");
        assertThat(moves.token()).isTrue();
        assertThat(moves.step()).isEqualTo(1);
        assertThat(moves.sound()).isTrue();
        WriteProfile pinned = tokenProfile("t1", CONFLICT, "t1", "{\"e\":\"newer\"}");
        assertThat(pinned.step()).isZero();
        assertThat(pinned.sound()).isFalse();
        assertThat(LockDiagnosis.sameVersionRace(moves, 1, 1, 1)).isEqualTo(LockDiagnosis.Verdict.PASS);
        assertThat(LockDiagnosis.sameVersionRace(pinned, 2, 0, 0).failedRule())
                .isEqualTo(LockDiagnosis.SAME_VERSION_RACE);
    }

    @Test
    void aTokenPathSwallowingConflictsIsNotJudgedForLostUpdates() {
        WriteProfile swallows = tokenProfile("t2", WriteOutcome.success(null), "t2", "{\"e\":\"newer\"}");
        assertThat(swallows.staleResult()).isEqualTo(WriteProfile.StaleResult.SWALLOWED);
        assertThat(LockDiagnosis.lostUpdate(swallows, LockDiagnosis.readModifyWrite(swallows, 18, 9, 18)).judged())
                .isFalse();
        WriteProfile appliesStale = tokenProfile("t2", WriteOutcome.success(null), "t3", "{\"e\":\"stale\"}");
        assertThat(LockDiagnosis.lostUpdate(appliesStale, LockDiagnosis.readModifyWrite(appliesStale, 18, 9, 18))
                .failedRule()).isEqualTo(LockDiagnosis.LOST_UPDATE);
    }

    private static final WriteProfile SOUND = profile(2, CONFLICT, 2, "{\"e\":\"newer\"}");
    private static final WriteProfile STEP_TWO = profile(3, CONFLICT, 3, "{\"e\":\"newer\"}");
    private static final WriteProfile SWALLOWS = profile(2, WriteOutcome.success(2L), 2, "{\"e\":\"newer\"}");
    private static final WriteProfile UNVERSIONED = profile(1, WriteOutcome.success(1L), 1, "{\"e\":\"stale\"}");
    private static final WriteProfile APPLIES_STALE = profile(2, WriteOutcome.success(3L), 3, "{\"e\":\"stale\"}");

    @Test
    void profileNamesWhatOneWriterAtATimeShows() {
        assertThat(SOUND.sound()).isTrue();
        assertThat(STEP_TWO.step()).isEqualTo(2);
        assertThat(STEP_TWO.sound()).isFalse();
        assertThat(SWALLOWS.staleResult()).isEqualTo(WriteProfile.StaleResult.SWALLOWED);
        assertThat(UNVERSIONED.unversioned()).isTrue();
        assertThat(APPLIES_STALE.staleResult()).isEqualTo(WriteProfile.StaleResult.APPLIED);
        assertThat(APPLIES_STALE.unversioned()).isFalse();
    }

    @Test
    void raceOnAPathSteppingByTwoPassesWhenOneWriterAppliedAndTheOtherGotTheConflict() {
        assertThat(LockDiagnosis.sameVersionRace(STEP_TWO, 1, 1, 2)).isEqualTo(LockDiagnosis.Verdict.PASS);
        assertThat(LockDiagnosis.sameVersionRace(SOUND, 1, 1, 2).failedRule())
                .isEqualTo(LockDiagnosis.SAME_VERSION_RACE);
    }

    @Test
    void bothWritersWinningOnASequentiallySoundPathIsANonAtomicCheckThenAct() {
        assertThat(LockDiagnosis.sameVersionRace(SOUND, 2, 0, 2).failedRule()).isEqualTo(LockDiagnosis.CHECK_THEN_ACT);
        assertThat(LockDiagnosis.sameVersionRace(APPLIES_STALE, 2, 0, 2).failedRule())
                .isEqualTo(LockDiagnosis.SAME_VERSION_RACE);
    }

    @Test
    void aSwallowedConflictInTheRaceIsLeftToTheStaleWriteCheck() {
        assertThat(LockDiagnosis.sameVersionRace(SWALLOWS, 2, 0, 1)).isEqualTo(LockDiagnosis.Verdict.PASS);
        assertThat(LockDiagnosis.sameVersionRace(SWALLOWS, 2, 0, 2).failedRule())
                .isEqualTo(LockDiagnosis.SAME_VERSION_RACE);
    }

    @Test
    void anUnversionedPathIsNotJudgedByTheRaceProbes() {
        assertThat(LockDiagnosis.sameVersionRace(UNVERSIONED, 2, 0, 0).judged()).isFalse();
        assertThat(LockDiagnosis.lostUpdate(UNVERSIONED, LockDiagnosis.readModifyWrite(UNVERSIONED, 18, 7, 0))
                .judged()).isFalse();
    }

    @Test
    void versionRisingByTwicePerWriteLosesNothing() {
        LockDiagnosis.Tally t = LockDiagnosis.readModifyWrite(STEP_TWO, 18, 18, 36);
        assertThat(t).isEqualTo(new LockDiagnosis.Tally(18, 18, 0, 0));
        assertThat(LockDiagnosis.lostUpdate(STEP_TWO, t)).isEqualTo(LockDiagnosis.Verdict.PASS);
    }

    @Test
    void successesThatAppliedNothingAreSwallowedNotLost() {
        LockDiagnosis.Tally t = LockDiagnosis.readModifyWrite(SWALLOWS, 18, 11, 11);
        assertThat(t).isEqualTo(new LockDiagnosis.Tally(18, 11, 0, 7));
        assertThat(LockDiagnosis.lostUpdate(SWALLOWS, t)).isEqualTo(LockDiagnosis.Verdict.PASS);
    }

    @Test
    void appliedWritesWhoseEffectIsGoneAreLost() {
        LockDiagnosis.Tally t = LockDiagnosis.readModifyWrite(APPLIES_STALE, 18, 9, 18);
        assertThat(t).isEqualTo(new LockDiagnosis.Tally(18, 18, 9, 0));
        assertThat(LockDiagnosis.lostUpdate(APPLIES_STALE, t).failedRule()).isEqualTo(LockDiagnosis.LOST_UPDATE);
        WriteProfile neverBumps = profile(1, CONFLICT, 1, "{\"e\":\"newer\"}");
        assertThat(LockDiagnosis.readModifyWrite(neverBumps, 18, 7, 0).lost()).isEqualTo(11);
    }
}
