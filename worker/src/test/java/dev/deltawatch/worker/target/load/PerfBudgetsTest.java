package dev.deltawatch.worker.target.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.Finding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PerfBudgetsTest {
    private static LoadReport report(double p95, long failures) {
        LoadReport.Operation op = new LoadReport.Operation("record-by-id", 1_000, 100, 2, p95, p95 + 1, p95 + 2, 3,
                10L, List.of(), List.of());
        ResourceSampler.Resources res = new ResourceSampler.Resources(10, 12, 10, 150, 190, 400, null, 20, 30, 50, 2, null);
        return new LoadReport("read-storm", "pfa-reference", "2026-01-01T00:00:00Z", 10, 100, 100, 100, List.of(op),
                Map.of(), 0, failures, res, List.of(), List.of());
    }

    @Test
    void p95OverTheRegisteredBudgetBecomesAPerfFinding() {
        List<Finding> findings = PerfBudgets.findings(report(25, 0));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.family()).isEqualTo("perf");
            assertThat(f.rule()).isEqualTo(PerfBudgets.LATENCY_RULE);
            assertThat(f.subject().name()).isEqualTo("record-by-id");
            assertThat(f.fix()).isNotBlank();
        });
    }

    @Test
    void fingerprintDoesNotDependOnTheMeasuredLatency() {
        assertThat(PerfBudgets.findings(report(25, 0)).get(0).fingerprint())
                .isEqualTo(PerfBudgets.findings(report(250, 0)).get(0).fingerprint());
    }

    @Test
    void withinBudgetAndFewFailuresGivesNoFinding() {
        assertThat(PerfBudgets.findings(report(9.5, 5))).isEmpty();
    }

    @Test
    void moreThanOnePercentFailuresBecomesAPerfFinding() {
        assertThat(PerfBudgets.findings(report(9.5, 50))).extracting(Finding::rule)
                .containsExactly(PerfBudgets.ERROR_RULE);
    }
}
