package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.ChangeEvent;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeltaCaptureIT {
    private static CaptureFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new CaptureFixture("delta_capture", 10, SchemaMode.AUTO);
        fixture.startCapture();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void updateThroughWriteFunctionArrivesWithBeforeAndAfterImages() throws Exception {
        long beforeUpdate = System.nanoTime();
        fixture.execute("SELECT pfa_update_delta(3, '{\"forecast\": {\"start\": \"2025-01-02\"}}', 1)");
        try (TopicReader reader = new TopicReader(fixture.settings.topic())) {
            ChangeEvent e = reader.await(ev -> ev.kind() == ChangeEvent.Kind.DELTA_ROW && "3".equals(ev.recordKey()),
                    Duration.ofSeconds(60), "for record 3");
            assertThat(e.table()).isEqualTo("public.pfa_records");
            assertThat(e.operation()).isEqualTo(ChangeEvent.Operation.UPDATE);
            assertThat(e.before().version()).isEqualTo(1L);
            assertThat(e.after().version()).isEqualTo(2L);
            assertThat(e.before().delta()).isNull();
            assertThat(e.after().delta().at("/forecast/start").asText()).isEqualTo("2025-01-02");
            assertThat(e.before().mirror()).as("the mirror is not carried (no probe tag)").isNull();
            assertThat(e.before().complete()).isTrue();
            assertThat(e.after().complete()).isTrue();
            assertThat(e.eventId()).matches("[0-9A-F]+/[0-9A-F]+:0").startsWith(e.source().lsn());
            assertThat(e.source().txId()).isNotNull();
            assertThat(e.source().commitTime()).isBefore(e.capturedAt().plusMillis(1));
            assertThat(e.partitionKey()).isEqualTo("public.pfa_records/3");
            // The capture-lag gauge's source: commit to Kafka's acknowledgement, which came before the reader saw it.
            Duration seenWithin = Duration.ofNanos(System.nanoTime() - beforeUpdate);
            assertThat(fixture.capture().lag()).isPositive().isLessThanOrEqualTo(seenWithin);
        }
    }
}
