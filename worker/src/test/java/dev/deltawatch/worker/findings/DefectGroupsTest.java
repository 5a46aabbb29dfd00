package dev.deltawatch.worker.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefectGroupsTest {
    private static final String RULE = "merged-value-mismatch";
    private static final Subject DEFECT = new Subject("merge-defect", "public.pfa_records $.*: absent → null");
    private static final Subject OTHER = new Subject("merge-defect", "public.pfa_records $: object → SQL NULL");
    private final FindingLifecycle lifecycle = new FindingLifecycle();

    private static Subject record(int key) {
        return new Subject("record", "public.pfa_records/" + key);
    }

    private static DefectGroups.Member fail(int key, Subject defect) {
        Finding f = new FindingBuilder("merge", RULE, Severity.BLOCKER, SampleFindings.TARGET, record(key))
                .title("Merge function disagrees with the declared contract: " + defect.name())
                .evidence("first differing JSON paths", "text", "$.k" + key + ": expected (absent), actual null")
                .evidence("mirror", "json", "{\"k" + key + "\": 1}")
                .problem("record " + key + " merges wrong").fix("fix pfa_merge")
                .reproductionSql("SELECT pfa_merge(m, d) FROM pfa_records WHERE id = " + key + ";")
                .observedAt(SampleFindings.T0).build();
        return new DefectGroups.Member(RULE, record(key), f, false, defect);
    }

    private static DefectGroups.Member pass(int key) {
        return new DefectGroups.Member(RULE, record(key), null, false, null);
    }

    /** {@code failing} records fail with DEFECT, the rest of {@code total} pass. */
    private static List<DefectGroups.Member> run(int total, int failing) {
        List<DefectGroups.Member> out = new ArrayList<>();
        for (int k = 1; k <= total; k++) {
            out.add(k <= failing ? fail(k, DEFECT) : pass(k));
        }
        return out;
    }

    @Test
    void recordsFailingTheSameWayAreOneFindingWithCountShareAndTheFirstFive() {
        List<DefectGroups.Member> members = run(10_000, 9_000);
        members.add(fail(10_001, OTHER));
        List<Finding> findings = DefectGroups.findings("merge", SampleFindings.TARGET, members);
        assertThat(findings).hasSize(2);
        Finding group = findings.get(0);
        assertThat(group.subject()).isEqualTo(DEFECT);
        assertThat(group.fingerprint()).isEqualTo(Fingerprint.of("merge", RULE, SampleFindings.TARGET, DEFECT));
        assertThat(group.title()).contains("(9,000 of 10,001 checked, 90.0%)");
        assertThat(group.evidence().get(0).label()).isEqualTo(DefectGroups.AFFECTED);
        assertThat(group.evidence().get(0).content()).startsWith("9000 of 10001 checked")
                .contains("the first 5:\npublic.pfa_records/1\n").endsWith("public.pfa_records/5");
        // The first member's own evidence, then one item per further example with its diff and reproduction.
        assertThat(group.evidence()).extracting(e -> e.label()).containsExactly(DefectGroups.AFFECTED,
                "first differing JSON paths", "mirror", "example 2: public.pfa_records/2",
                "example 3: public.pfa_records/3", "example 4: public.pfa_records/4", "example 5: public.pfa_records/5");
        assertThat(group.evidence().get(3).content()).contains("$.k2:").contains("WHERE id = 2;");
        assertThat(group.problem()).startsWith("9000 of 10001 checked have this defect; the first, "
                + "public.pfa_records/1: record 1 merges wrong");
        assertThat(findings.get(1).subject()).isEqualTo(OTHER);
        assertThat(findings.get(1).evidence().get(0).content()).startsWith("1 of 10001").contains("all:");
    }

    @Test
    void failuresWithoutADefectStayFindingsOfTheirOwn() {
        Finding alone = SampleFindings.seqScan();
        List<DefectGroups.Member> members = List.of(
                new DefectGroups.Member(alone.rule(), alone.subject(), alone, false, null), fail(1, DEFECT), fail(2, DEFECT));
        assertThat(DefectGroups.findings("merge", SampleFindings.TARGET, members))
                .extracting(Finding::subject).containsExactly(alone.subject(), DEFECT);
    }

    @Test
    void theShareIsOfTheMembersThatCarryTheDefectWhenPassesCarryIt() {
        Subject column = new Subject("generated-column", "public.pfa_records.merged_category");
        Subject otherColumn = new Subject("generated-column", "public.pfa_records.merged_org");
        List<DefectGroups.Member> members = new ArrayList<>();
        for (int k = 1; k <= 100; k++) {
            members.add(new DefectGroups.Member(RULE, record(k), null, false, otherColumn));
            members.add(k <= 25 ? fail(k, column) : new DefectGroups.Member(RULE, record(k), null, false, column));
        }
        assertThat(DefectGroups.findings("merge", SampleFindings.TARGET, members)).singleElement()
                .satisfies(f -> assertThat(f.title()).contains("(25 of 100 checked, 25.0%)"));
    }

    @Test
    void aCleanWriteToAnotherRecordDoesNotResolveTheGroupAFullPassDoes() {
        Map<String, Finding> state = new HashMap<>();
        apply(state, DefectGroups.observations("merge", SampleFindings.TARGET, true, run(10_000, 10_000), state));
        Finding opened = state.get(Fingerprint.of("merge", RULE, SampleFindings.TARGET, DEFECT));
        assertThat(opened.status()).isEqualTo(FindingStatus.OPENED);
        assertThat(state.values()).hasSize(1);   // one finding, not ten thousand

        // Record 20,000 edited and clean: a record-scoped pass elsewhere says nothing about the group.
        assertThat(apply(state, DefectGroups.observations("merge", SampleFindings.TARGET, false,
                List.of(pass(20_000)), state))).isEmpty();
        // One member re-verified clean: 9,999 others are still unknown.
        assertThat(apply(state, DefectGroups.observations("merge", SampleFindings.TARGET, false,
                List.of(pass(1)), state))).isEmpty();
        // A repeat with another count and other examples is not material: no UPDATED.
        assertThat(apply(state, DefectGroups.observations("merge", SampleFindings.TARGET, true, run(10_000, 7), state)))
                .isEmpty();
        // A full pass that no longer sees the defect resolves it.
        assertThat(apply(state, DefectGroups.observations("merge", SampleFindings.TARGET, true, run(10_000, 0), state)))
                .singleElement().satisfies(f -> {
                    assertThat(f.status()).isEqualTo(FindingStatus.RESOLVED);
                    assertThat(f.subject()).isEqualTo(DEFECT);
                });
    }

    @Test
    void aRecordScopedRunResolvesAGroupOnlyWhenAllItsListedMembersPass() {
        Map<String, Finding> state = new HashMap<>();
        apply(state, DefectGroups.observations("merge", SampleFindings.TARGET, false,
                List.of(fail(1, DEFECT), fail(2, DEFECT)), state));
        assertThat(apply(state, DefectGroups.observations("merge", SampleFindings.TARGET, false,
                List.of(pass(1), pass(3)), state))).isEmpty();
        assertThat(apply(state, DefectGroups.observations("merge", SampleFindings.TARGET, false,
                List.of(pass(1), pass(2)), state))).singleElement()
                .satisfies(f -> assertThat(f.status()).isEqualTo(FindingStatus.RESOLVED));
    }

    @Test
    void aRunOfAnotherRuleLeavesTheGroupAlone() {
        Map<String, Finding> state = new HashMap<>();
        apply(state, DefectGroups.observations("merge", SampleFindings.TARGET, true, run(10, 10), state));
        DefectGroups.Member otherRule = new DefectGroups.Member("generated-column-drift", record(1), null, false, null);
        assertThat(apply(state, DefectGroups.observations("merge", SampleFindings.TARGET, true, List.of(otherRule),
                state))).isEmpty();
    }

    @Test
    void aGroupUpdatesOnlyWhenItsSeverityChanges() {
        Finding a = DefectGroups.findings("merge", SampleFindings.TARGET, run(10, 10)).get(0);
        Finding b = DefectGroups.findings("merge", SampleFindings.TARGET, run(300, 2)).get(0);
        assertThat(MaterialChange.between(a, b)).isFalse();
    }

    private List<Finding> apply(Map<String, Finding> state, List<Observation> observations) {
        FindingLifecycle.Decision d = lifecycle.decide(state, observations, Trigger.manual(), SampleFindings.T0);
        state.putAll(d.changed());
        return d.announcements();
    }
}
