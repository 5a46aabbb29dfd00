package dev.deltawatch.worker.check.hygiene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deltawatch.contracts.SchemaChange;
import dev.deltawatch.worker.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HygieneSettingsTest {

    @Test
    void rejectsAConnectionsShareAboveOneNamingTheKey() {
        assertThatThrownBy(() -> HygieneSettings.defaults()
                .withPooling(Duration.ofSeconds(1), Duration.ofMillis(100), 60, 20, 1.5))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value 1.5 for configuration "
                        + "deltawatch.check.hygiene.pooling.max-connections-share: must be in (0, 1]");
    }

    @Test
    void rejectsAPollIntervalLongerThanTheWindow() {
        assertThatThrownBy(() -> HygieneSettings.defaults()
                .withPooling(Duration.ofSeconds(1), Duration.ofSeconds(2), 60, 20, 0.8))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("deltawatch.check.hygiene.pooling.poll.ms");
    }

    @Test
    void rejectsANegativeInactiveSlotThresholdNamingTheKey() {
        assertThatThrownBy(() -> HygieneSettings.defaults().withInactiveSlotAfter(Duration.ofMillis(-1)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("deltawatch.check.hygiene.slots.inactive-after.ms: must be >= 0");
        assertThat(HygieneSettings.defaults().inactiveSlotAfter()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void everyCheckIsReachableFromTheTriggersAndTheFamilyList() {
        assertThat(HygieneChecks.all(HygieneSettings.defaults())).extracting(c -> c.name())
                .containsExactlyInAnyOrderElementsOf(HygieneTriggers.all());
        assertThat(HygieneTriggers.forSchemaChange(new SchemaChange("CREATE OR REPLACE FUNCTION", "function",
                "public.pfa_merge(jsonb,jsonb)", "public", null, "h")))
                .containsExactly(FunctionHygieneCheck.NAME, StaleGeneratedValuesCheck.NAME);
        assertThat(HygieneTriggers.forSchemaChange(new SchemaChange("CREATE INDEX", "index",
                "public.idx", "public", "pfa_records", "h"))).contains(IndexFlawsCheck.NAME,
                GeneratedPredicateIndexCheck.NAME);
        assertThat(HygieneTriggers.PERIODIC).contains(ConnectionPoolingCheck.NAME, StaleGeneratedValuesCheck.NAME,
                InactiveReplicationSlotCheck.NAME);
    }
}
