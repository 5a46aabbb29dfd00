package dev.deltawatch.worker.check.lock;

import static dev.deltawatch.worker.check.lock.LockTestSupport.applyFault;
import static dev.deltawatch.worker.check.lock.LockTestSupport.assertNothingLeftBehind;
import static dev.deltawatch.worker.check.lock.LockTestSupport.fastSettings;
import static dev.deltawatch.worker.check.lock.LockTestSupport.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The active write probes on the clean reference target and on each write-path fault of the catalog. */
class LockProbesIT {
    private final LockProbeSettings settings = fastSettings();
    private HikariDataSource ds;

    @AfterEach
    void nothingLeftBehind() throws Exception {
        if (ds != null) {
            assertNothingLeftBehind(ds);
            ds.close();
        }
    }

    private List<Finding> runAll(String fault) throws Exception {
        ds = TestInfrastructure.referenceTarget("lock_" + (fault == null ? "clean" : fault.substring(5, 7)));
        if (fault != null) {
            applyFault(ds, fault);
        }
        CheckContext context = TestInfrastructure.referenceContext(ds);
        List<Finding> out = new ArrayList<>();
        for (Check check : List.of(new SameVersionRaceCheck(settings), new LostUpdateCheck(settings),
                new StaleWriteCheck(settings), new DeadlockCheck(settings))) {
            out.addAll(findings(check.run(context, CheckScope.all())));
        }
        return out;
    }

    private static List<String> rules(List<Finding> findings) {
        return findings.stream().map(Finding::rule).distinct().sorted().toList();
    }

    /** Every fault of the catalog: at most five BLOCKER/HIGH findings, so one defect does not flood a channel. */
    private static List<Finding> fewSevere(List<Finding> found) {
        assertThat(found.stream().filter(f -> f.severity() == Severity.BLOCKER || f.severity() == Severity.HIGH))
                .as("BLOCKER/HIGH findings").hasSizeLessThanOrEqualTo(5);
        return found;
    }

    private static Finding only(List<Finding> found, String rule) {
        return found.stream().filter(f -> f.rule().equals(rule)).findFirst().orElseThrow();
    }

    @Test
    void cleanWritePathRaisesNoFinding() throws Exception {
        assertThat(runAll(null)).isEmpty();
    }

    /**
     * A write function that merges the patch through a merge function where the old value wins (hygiene/10's
     * "simplified" merge): one writer's increments do not land either, so the race cannot tell a lost update from the
     * merge defect; the probe says it did not judge instead of paging a BLOCKER "lost update".
     */
    @Test
    void aWritePathWhoseMergeKeepsTheOldValueIsNotALostUpdate() throws Exception {
        ds = TestInfrastructure.referenceTarget("lock_merge_keeps_old");
        applyFault(ds, "hygiene/10_merge_function_redefined.sql");
        var results = new LostUpdateCheck(settings).run(TestInfrastructure.referenceContext(ds), CheckScope.all());
        assertThat(findings(results)).isEmpty();
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.skipped()).startsWith("not judged: two increments by one writer through")
                    .contains("left the counter at 1");
            assertThat(r.rule()).isEqualTo(LostUpdateCheck.RULE);
        });
    }

    @Test
    void versionSteppingByTwoIsAVersionStepNotALostUpdate() throws Exception {
        List<Finding> found = fewSevere(runAll("lock/07_version_step_two.sql"));
        assertThat(rules(found)).containsExactly(StaleWriteCheck.RULE_STEP);
        Finding step = found.get(0);
        assertThat(step.severity()).isEqualTo(Severity.HIGH);
        assertThat(step.title()).isEqualTo("The write path moves the version by +2 per write, not +1");
        assertThat(step.evidence().get(0).content()).contains("row after: version 3");
    }

    @Test
    void conflictAnsweredWithSuccessIsASwallowedConflictNotAStaleWrite() throws Exception {
        List<Finding> found = fewSevere(runAll("lock/08_conflict_swallowed.sql"));
        assertThat(rules(found)).containsExactly(StaleWriteCheck.RULE_SWALLOWED);
        Finding swallowed = found.get(0);
        assertThat(swallowed.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(swallowed.title())
                .isEqualTo("A version conflict is swallowed: the outdated write reported success and changed nothing");
        assertThat(swallowed.evidence().get(0).content())
                .contains("with the outdated version 1: ok -> version 2\n  row after: version 2");
    }

    @Test
    void writePathIgnoringTheVersionIsUnversionedNotARaceOrLostUpdate() throws Exception {
        List<Finding> found = fewSevere(runAll("lock/09_unversioned_write_path.sql"));
        assertThat(rules(found)).containsExactly(StaleWriteCheck.RULE_UNVERSIONED);
        Finding unversioned = found.get(0);
        assertThat(unversioned.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(unversioned.title()).isEqualTo(
                "The write path ignores the expected version and never bumps it: no optimistic locking");
    }

    @Test
    void versionCheckedApartFromTheWriteIsANonAtomicCheckThenAct() throws Exception {
        List<Finding> found = fewSevere(runAll("lock/10_check_then_act.sql"));
        // The lost update is what the non-atomic check does to read-modify-write clients: observed, and titled so.
        assertThat(rules(found)).containsExactlyInAnyOrder(SameVersionRaceCheck.RULE_CHECK_THEN_ACT,
                LostUpdateCheck.RULE);
        Finding race = only(found, SameVersionRaceCheck.RULE_CHECK_THEN_ACT);
        assertThat(race.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(race.title()).isEqualTo("Version check and write are not atomic: two writers with version 1 "
                + "both succeeded");
        assertThat(race.evidence().get(0).content()).contains("writer 1: ok", "writer 2: ok", "after: 3");
        assertThat(only(found, LostUpdateCheck.RULE).title()).startsWith("Lost update: ");
    }

    @Test
    void writeWithoutVersionPredicateIsARaceLostUpdateAndStaleWrite() throws Exception {
        List<Finding> found = runAll("lock/01_no_version_predicate.sql");
        assertThat(rules(found)).contains(SameVersionRaceCheck.RULE, LostUpdateCheck.RULE, StaleWriteCheck.RULE);
        Finding race = found.stream().filter(f -> f.rule().equals(SameVersionRaceCheck.RULE)).findFirst().orElseThrow();
        assertThat(race.severity()).isEqualTo(Severity.BLOCKER);
        assertThat(race.evidence().get(0).content()).contains("writer 1: ok", "writer 2: ok");
        Finding lost = found.stream().filter(f -> f.rule().equals(LostUpdateCheck.RULE)).findFirst().orElseThrow();
        assertThat(lost.evidence().get(0).content()).contains("successful writes: 18", "lost: ");
        assertThat(lost.title()).matches("Lost update: [1-9]\\d* of 18 applied writes lost .*");
        assertThat(only(found, StaleWriteCheck.RULE).title())
                .isEqualTo("A write with an outdated version was applied over a newer edit");
        assertThat(rules(found)).doesNotContain(StaleWriteCheck.RULE_SWALLOWED, StaleWriteCheck.RULE_STEP,
                StaleWriteCheck.RULE_UNVERSIONED, SameVersionRaceCheck.RULE_CHECK_THEN_ACT);
        fewSevere(found);
    }

    @Test
    void versionNotIncrementedLetsBothRacersWin() throws Exception {
        List<Finding> found = runAll("lock/02_version_not_incremented.sql");
        assertThat(rules(found)).contains(SameVersionRaceCheck.RULE, LostUpdateCheck.RULE);
        Finding race = found.stream().filter(f -> f.rule().equals(SameVersionRaceCheck.RULE)).findFirst().orElseThrow();
        assertThat(race.evidence().get(0).content()).contains("after: 1 (expected 2)");
        assertThat(only(found, StaleWriteCheck.RULE_STEP).title())
                .isEqualTo("The write path does not bump the version (+0 per write)");
        assertThat(rules(found)).doesNotContain(StaleWriteCheck.RULE, StaleWriteCheck.RULE_SWALLOWED,
                StaleWriteCheck.RULE_UNVERSIONED);
        fewSevere(found);
    }

    @Test
    void versionComparedWithGreaterOrEqualAcceptsStaleWrites() throws Exception {
        List<Finding> found = runAll("lock/03_version_compared_ge.sql");
        assertThat(rules(found)).contains(StaleWriteCheck.RULE, SameVersionRaceCheck.RULE);
        assertThat(found).filteredOn(f -> f.rule().equals(StaleWriteCheck.RULE))
                .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.BLOCKER));
        assertThat(only(found, StaleWriteCheck.RULE).evidence().get(0).content())
                .contains("with the outdated version 1: ok -> version 3");
        assertThat(rules(found)).doesNotContain(StaleWriteCheck.RULE_SWALLOWED, StaleWriteCheck.RULE_STEP,
                StaleWriteCheck.RULE_UNVERSIONED);
        fewSevere(found);
    }

    @Test
    void triggerLockingASharedRowMakesTheWritePathDeadlockProne() throws Exception {
        List<Finding> found = runAll("lock/04_trigger_opposite_order.sql");
        assertThat(rules(found)).containsExactly(DeadlockCheck.RULE_PRONE);
        Finding prone = found.get(0);
        assertThat(prone.severity()).isEqualTo(Severity.HIGH);
        assertThat(prone.evidence().get(1).content()).contains("pfa_org_activity");
    }
}
