package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaptureSettingsTest {
    @Test
    void rejectsASlotNamePostgresWouldRefuseNamingTheKey() {
        CaptureSettings d = CaptureSettings.defaults();
        assertThatThrownBy(() -> d.withNames("Bad-Slot", "p", "t", "o"))
                .hasMessageContaining("Invalid value Bad-Slot for configuration deltawatch.capture.slot.name");
    }

    @Test
    void rejectsAQueueNoLargerThanTheBatch() {
        assertThatThrownBy(() -> CaptureSettings.defaults().withTuning(4096, 4096, Duration.ofMillis(10),
                Duration.ofMillis(5))).hasMessageContaining("deltawatch.capture.max.queue.size");
    }

    @Test
    void rejectsAZeroPollInterval() {
        assertThatThrownBy(() -> CaptureSettings.defaults().withSchemaMode(SchemaMode.POLLING, Duration.ZERO))
                .hasMessageContaining("deltawatch.capture.catalog.poll.interval.ms");
    }
}
