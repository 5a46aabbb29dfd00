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

    @Test
    void cleanWritePathRaisesNoFinding() throws Exception {
        assertThat(runAll(null)).isEmpty();
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
    }

    @Test
    void versionNotIncrementedLetsBothRacersWin() throws Exception {
        List<Finding> found = runAll("lock/02_version_not_incremented.sql");
        assertThat(rules(found)).contains(SameVersionRaceCheck.RULE, LostUpdateCheck.RULE);
        Finding race = found.stream().filter(f -> f.rule().equals(SameVersionRaceCheck.RULE)).findFirst().orElseThrow();
        assertThat(race.evidence().get(0).content()).contains("after: 1 (expected 2)");
    }

    @Test
    void versionComparedWithGreaterOrEqualAcceptsStaleWrites() throws Exception {
        List<Finding> found = runAll("lock/03_version_compared_ge.sql");
        assertThat(rules(found)).contains(StaleWriteCheck.RULE, SameVersionRaceCheck.RULE);
        assertThat(found).filteredOn(f -> f.rule().equals(StaleWriteCheck.RULE))
                .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.BLOCKER));
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
