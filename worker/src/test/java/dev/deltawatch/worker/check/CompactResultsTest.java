package dev.deltawatch.worker.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deltawatch.contracts.Finding;
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
}
