package dev.deltawatch.worker.check.plan;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlanAuditSettingsTest {

    @Test
    void rejectsInvalidValuesNamingEveryKeyAndRule() {
        assertThatThrownBy(() -> new PlanAuditSettings(0, -1, 10, 10_000, 1, 0.5, 2, true, true, false, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid value 0 for configuration deltawatch.check.plan.runs: must be >= 1")
                .hasMessageContaining("deltawatch.check.plan.warmups: must be >= 0")
                .hasMessageContaining("deltawatch.check.plan.misestimate.factor: must be >= 2");
    }
}
