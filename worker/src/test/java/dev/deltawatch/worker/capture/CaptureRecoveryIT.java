package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.ChangeEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A capture killed in the middle of 10,000 updates loses none of them; a standby takes over the database. */
class CaptureRecoveryIT {
    private static final int RECORDS = 1000;
    private static final int ROUNDS = 10;
    private static CaptureFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new CaptureFixture("capture_recovery", RECORDS, SchemaMode.AUTO);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void standbyTakesOverAfterCrashAndEveryUpdateArrivesAtLeastOnce() throws Exception {
        ChangeCapture first = fixture.startCapture();
        try (ChangeCapture standby = fixture.newCapture()) {
            standby.start();
            Thread.sleep(1500);
            assertThat(standby.state()).isEqualTo(ChangeCapture.State.STANDBY);

            // The writer commits 3,000 of the 10,000 updates, waits until capture published 1,000 of them (so the
            // crash lands while changes are in flight), kills it, then commits the other 7,000.
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> updateEveryRecordTenTimes(30, () -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (first.published() < 1000 && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                assertThat(first.published()).as("published before the crash").isBetween(1000L, 2999L);
                first.halt();
            }));
            writes.get();
            assertThat(standby.awaitStreaming(Duration.ofSeconds(60))).as("standby takes over").isTrue();

            try (TopicReader reader = new TopicReader(fixture.settings.topic())) {
                Set<String> expected = new HashSet<>();
                for (int id = 1; id <= RECORDS; id++) {
                    for (int v = 2; v <= ROUNDS + 1; v++) {
                        expected.add(id + "@" + v);
                    }
                }
                Set<String> seen = new HashSet<>();
                Map<String, String> byEventId = new HashMap<>();
                long deadlineRead = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                int read = 0;
                while (!seen.containsAll(expected) && System.nanoTime() < deadlineRead) {
                    List<ChangeEvent> events = reader.awaitCount(read + 1, Duration.ofSeconds(2));
                    for (; read < events.size(); read++) {
                        ChangeEvent e = events.get(read);
                        if (e.kind() == ChangeEvent.Kind.DELTA_ROW) {
                            String change = e.recordKey() + "@" + e.after().version();
                            seen.add(change);
                            String earlier = byEventId.putIfAbsent(e.eventId(), change);
                            assertThat(earlier == null || earlier.equals(change))
                                    .as("event id %s names one change only", e.eventId()).isTrue();
                        }
                    }
                }
                Set<String> missing = new HashSet<>(expected);
                missing.removeAll(seen);
                assertThat(missing).as("updates never delivered").isEmpty();
                // Dropping duplicates by event id leaves exactly one event per update.
                assertThat(byEventId).hasSize(RECORDS * ROUNDS);
            }
        }
    }

    interface Crash {
        void now() throws InterruptedException;
    }

    /** 10 rounds over all records, 100 records per transaction; {@code crash} runs after transaction {@code at}. */
    private static void updateEveryRecordTenTimes(int at, Crash crash) {
        int transactions = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                for (int from = 1; from <= RECORDS; from += 100) {
                    if (transactions++ == at) {
                        crash.now();
                    }
                    fixture.execute("UPDATE pfa_records SET delta_json = jsonb_build_object('round', version + 1), "
                            + "version = version + 1 WHERE id BETWEEN " + from + " AND " + (from + 99));
                }
            }
        } catch (java.sql.SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
