package dev.deltawatch.worker.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.findings.DefectGroups;
import dev.deltawatch.worker.findings.FindingBuilder;
import dev.deltawatch.worker.findings.RunMembers;
import java.util.HashMap;
import java.util.Map;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.findings.SampleFindings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactResultsTest {
    private static final Subject COLUMN = new Subject("generated-column", "public.pfa_records.merged_category");

    @Test
    void passesReadBackAsTheyWereAddedAfterWhatIsKeptWhole() {
        CompactResults results = new CompactResults();
        List<CheckResult> added = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            added.add(CheckResult.pass("merged-value-mismatch", new Subject("document", "public.pfa_records/" + i)));
            added.add(CheckResult.pass("generated-column-drift",
                    new Subject("document", "public.pfa_records/" + i + "/merged_category"), COLUMN));
        }
        CheckResult skipped = CheckResult.skipped("merged-value-mismatch", new Subject("document",
                "public.pfa_records/x"), "the schema forbids it");
        CheckResult noPrefix = CheckResult.pass("battery", new Subject("function", "pfa_merge"));
        CheckResult other = CheckResult.pass("merged-value-mismatch", new Subject("document", "other.table/1"));
        added.add(skipped);
        added.add(noPrefix);
        added.add(other);
        added.forEach(results::add);

        assertThat(results).hasSize(added.size());
        // Kept whole first: what is no pass, and a pass whose name has no prefix to share.
        assertThat(results.subList(0, 2)).containsExactly(skipped, noPrefix);
        assertThat(results).containsExactlyInAnyOrderElementsOf(added);
        assertThat(results.get(2)).isEqualTo(added.get(0));
        assertThat(results.get(results.size() - 1)).isEqualTo(other);
        assertThat(CompactResults.members(results)).hasSize(added.size())
                .filteredOn(m -> COLUMN.equals(m.defect())).hasSize(3000);
    }

    @Test
    void failuresAreKeptWholeAndASealedListTakesNoMore() {
        CompactResults results = new CompactResults();
        Finding finding = SampleFindings.seqScan();
        results.add(CheckResult.pass("merged-value-mismatch", new Subject("document", "public.pfa_records/6")));
        results.add(CheckResult.fail(finding));

        assertThat(results.get(0).finding()).isSameAs(finding);
        assertThat(results.sealed()).isSameAs(results);
        assertThatThrownBy(() -> results.add(CheckResult.pass("r", new Subject("document", "a/b"))))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> results.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void failuresAreCountedWithoutReadingThePassesBack() {
        CompactResults compact = new CompactResults();
        List<CheckResult> plain = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            CheckResult pass = CheckResult.pass("merged-value-mismatch", new Subject("document", "public.pfa_records/" + i));
            compact.add(pass);
            plain.add(pass);
        }
        CheckResult failure = CheckResult.fail(SampleFindings.seqScan());
        CheckResult skipped = CheckResult.skipped("merged-value-mismatch", new Subject("document",
                "public.pfa_records/x"), "the schema forbids it");
        for (CheckResult r : List.of(failure, skipped, failure)) {
            compact.add(r);
            plain.add(r);
        }

        assertThat(CompactResults.failures(compact)).isEqualTo(2);
        assertThat(CompactResults.failures(plain)).isEqualTo(2);
        assertThat(CompactResults.failures(List.of())).isZero();
    }

    private static final String RULE = "merged-value-mismatch";
    private static final Subject DEFECT = new Subject("merge-defect", "public.pfa_records $.*: absent -> null");

    private static Subject document(int key) {
        return new Subject("document", "public.pfa_records/" + key);
    }

    private static CheckResult failing(int key, Subject defect) {
        Finding f = new FindingBuilder("merge", RULE, Severity.BLOCKER, SampleFindings.TARGET, document(key))
                .title("Merge function disagrees with the declared contract").problem("record " + key)
                .fix("fix pfa_merge").observedAt(SampleFindings.T0).build();
        return defect == null ? CheckResult.fail(f) : CheckResult.fail(f, defect);
    }

    /** Passes of documents 1..n (every third a generated column's too), the keys in {@code failing} failing. */
    private static List<CheckResult> run(int n, Map<Integer, Subject> failing) {
        List<CheckResult> out = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            out.add(failing.containsKey(k) ? failing(k, failing.get(k)) : CheckResult.pass(RULE, document(k)));
            if (k % 3 == 0) {
                out.add(CheckResult.pass("generated-column-drift", new Subject("document",
                        "public.pfa_records/" + k + "/merged_category"), COLUMN));
            }
        }
        out.add(CheckResult.skipped(RULE, document(n + 1), "the schema forbids it"));
        out.add(CheckResult.pass("battery", new Subject("function", "pfa_merge")));
        return out;
    }

    private static CompactResults compact(List<CheckResult> results) {
        CompactResults out = new CompactResults();
        results.forEach(out::add);
        return out;
    }

    @Test
    void groupingReadsCompactPassesAsItReadsThemOneByOne() {
        Map<Integer, Subject> failing = new HashMap<>();
        for (int k = 10; k < 20; k++) {
            failing.put(k, DEFECT);
        }
        failing.put(500, null); // a failure standing alone
        List<CheckResult> first = run(3000, failing);

        List<Finding> findings = DefectGroups.findings("merge", SampleFindings.TARGET, CompactResults.grouping(compact(first)));
        assertThat(findings).hasSize(2)
                .isEqualTo(DefectGroups.findings("merge", SampleFindings.TARGET, RunMembers.of(CompactResults.members(first))));
        assertThat(findings.get(0).title()).contains("(10 of 3,000 checked");

        // The next run: the group's records pass again, the lone failure's record too.
        Map<String, Finding> known = new HashMap<>();
        findings.forEach(f -> known.put(f.fingerprint(), f));
        List<CheckResult> next = run(3000, Map.of(11, DEFECT));
        for (boolean fullScope : List.of(true, false)) {
            assertThat(DefectGroups.observations("merge", SampleFindings.TARGET, fullScope,
                    CompactResults.grouping(compact(next)), known))
                    .isNotEmpty()
                    .containsExactlyInAnyOrderElementsOf(DefectGroups.observations("merge", SampleFindings.TARGET,
                            fullScope, RunMembers.of(CompactResults.members(next)), known));
        }
    }

    @Test
    void batchesAddedWholeReadAsTheirResultsAddedOneByOne() {
        CompactResults oneByOne = new CompactResults();
        CompactResults byBatch = new CompactResults();
        for (int batch = 0; batch < 4; batch++) {
            List<CheckResult> results = run(700, Map.of(batch * 100 + 7, DEFECT));
            results.forEach(oneByOne::add);
            byBatch.addAll(compact(results));
        }
        byBatch.addAll(List.of(CheckResult.pass(RULE, document(9999))));
        oneByOne.add(CheckResult.pass(RULE, document(9999)));

        assertThat(byBatch).hasSize(oneByOne.size()).containsExactlyElementsOf(oneByOne);
        assertThat(CompactResults.failures(byBatch)).isEqualTo(4);
    }
}
