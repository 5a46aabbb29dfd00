package dev.deltawatch.worker.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Trigger;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingLifecycleTest {
    private final FindingLifecycle lifecycle = new FindingLifecycle();
    private final Map<String, Finding> state = new HashMap<>();
    private Instant now = SampleFindings.T0;

    private List<Finding> run(Observation... observations) {
        now = now.plusSeconds(60);
        FindingLifecycle.Decision d = lifecycle.decide(Map.copyOf(state), List.of(observations), Trigger.manual(), now);
        state.putAll(d.changed());
        return d.announcements();
    }

    private static Observation fail(Finding f) {
        return Observation.fail(f);
    }

    private static Observation pass() {
        return Observation.pass("plan", "seq-scan-large-relation", SampleFindings.TARGET, SampleFindings.QUERY);
    }

    @Test
    void announcesANewFailureOnceAsOpened() {
        List<Finding> out = run(fail(SampleFindings.seqScan()));
        assertThat(out).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(FindingStatus.OPENED);
            assertThat(f.occurrences()).isEqualTo(1);
            assertThat(f.markdown()).startsWith("🔴 **BLOCKER:**");
        });
    }

    @Test
    void repeatOfAnOpenFindingOnlyBumpsCountersSilently() {
        Finding opened = run(fail(SampleFindings.seqScan())).get(0);
        List<Finding> out = run(fail(SampleFindings.seqScan(Severity.BLOCKER, "0.02..1310.99").build()));
        assertThat(out).isEmpty();
        Finding known = state.get(opened.fingerprint());
        assertThat(known.occurrences()).isEqualTo(2);
        assertThat(known.lastSeen()).isEqualTo(now);
        assertThat(known.firstSeen()).isEqualTo(opened.firstSeen());
        assertThat(known.status()).isEqualTo(FindingStatus.OPENED);
    }

    @Test
    void severityChangeOfAnOpenFindingIsAnnouncedAsUpdated() {
        run(fail(SampleFindings.seqScan()));
        List<Finding> out = run(fail(SampleFindings.seqScan(Severity.HIGH, "0.01..1250.43").build()));
        assertThat(out).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(FindingStatus.UPDATED);
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.occurrences()).isEqualTo(2);
        });
    }

    @Test
    void newEvidenceShapeIsAnnouncedAsUpdated() {
        run(fail(SampleFindings.seqScan()));
        Finding changed = SampleFindings.seqScan(Severity.BLOCKER, "1..2")
                .evidence("probe outcomes", "table", "writer A: committed; writer B: lost update").build();
        assertThat(run(fail(changed))).extracting(Finding::status).containsExactly(FindingStatus.UPDATED);
    }

    @Test
    void passOfTheSameRuleOnTheSameSubjectResolves() {
        Finding opened = run(fail(SampleFindings.seqScan())).get(0);
        List<Finding> out = run(pass());
        assertThat(out).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(FindingStatus.RESOLVED);
            assertThat(f.fingerprint()).isEqualTo(opened.fingerprint());
            assertThat(f.markdown()).startsWith("✅ RESOLVED");
        });
        assertThat(run(pass())).as("a second pass says nothing").isEmpty();
    }

    @Test
    void passWithoutAnOpenFindingSaysNothing() {
        assertThat(run(pass())).isEmpty();
        assertThat(state).isEmpty();
    }

    @Test
    void failingAgainAfterResolutionRegressesAndKeepsFirstSeen() {
        Finding opened = run(fail(SampleFindings.seqScan())).get(0);
        run(pass());
        List<Finding> out = run(fail(SampleFindings.seqScan()));
        assertThat(out).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(FindingStatus.REGRESSED);
            assertThat(f.firstSeen()).isEqualTo(opened.firstSeen());
            assertThat(f.occurrences()).isEqualTo(2);
        });
        assertThat(run(fail(SampleFindings.seqScan()))).as("repeat of a regression").isEmpty();
    }

    @Test
    void openRepeatResolveRegressAnnouncesExactlyThreeTransitions() {
        List<FindingStatus> seen = new java.util.ArrayList<>();
        for (Observation o : List.of(fail(SampleFindings.seqScan()), fail(SampleFindings.seqScan()), pass(),
                fail(SampleFindings.seqScan()))) {
            run(o).forEach(f -> seen.add(f.status()));
        }
        assertThat(seen).containsExactly(FindingStatus.OPENED, FindingStatus.RESOLVED, FindingStatus.REGRESSED);
    }

    @Test
    void decideDoesNotModifyTheKnownState() {
        Map<String, Finding> known = new HashMap<>();
        lifecycle.decide(known, List.of(fail(SampleFindings.seqScan())), null, now);
        assertThat(known).isEmpty();
    }

    @Test
    void announcedFindingsCarryBoundedEvidence() {
        Finding f = run(fail(SampleFindings.hugeMergeMismatch(1_048_576))).get(0);
        assertThat(f.evidence()).allSatisfy(e -> assertThat(e.content().length())
                .isLessThanOrEqualTo(EvidenceBounds.MAX_CONTENT_BYTES));
        assertThat(f.evidence().get(1).truncated()).isTrue();
        assertThat(f.evidence().get(0).truncated()).isFalse();
    }
}
