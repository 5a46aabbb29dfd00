package dev.deltawatch.worker.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import org.junit.jupiter.api.Test;

class MaterialChangeTest {

    @Test
    void differentTimingsAreNotMaterial() {
        Finding a = SampleFindings.seqScan(Severity.BLOCKER, "0.01..1250.43").build();
        Finding b = SampleFindings.seqScan(Severity.BLOCKER, "0.35..980.02").build();
        assertThat(MaterialChange.between(a, b)).isFalse();
    }

    @Test
    void differentSeverityIsMaterial() {
        assertThat(MaterialChange.between(SampleFindings.seqScan(),
                SampleFindings.seqScan(Severity.MEDIUM, "0.01..1250.43").build())).isTrue();
    }

    @Test
    void aDifferentPlanNodeIsMaterial() {
        Finding a = SampleFindings.seqScan();
        Finding b = new FindingBuilder("plan", "seq-scan-large-relation", Severity.BLOCKER, SampleFindings.TARGET,
                SampleFindings.QUERY).evidence("EXPLAIN ANALYZE", "plan",
                "Bitmap Heap Scan on pfa_records (cost=0.00..25000.00 rows=100 width=1024)").build();
        assertThat(MaterialChange.between(a, b)).isTrue();
    }

    @Test
    void aDifferentFirstDifferingPathIsMaterial() {
        Finding a = new FindingBuilder("merge", "mismatch", Severity.HIGH, "t", SampleFindings.QUERY)
                .evidence("first differing path", "text", "$.dates.start").build();
        Finding b = new FindingBuilder("merge", "mismatch", Severity.HIGH, "t", SampleFindings.QUERY)
                .evidence("first differing path", "text", "$.billing.code").build();
        assertThat(MaterialChange.between(a, b)).isTrue();
    }
}
