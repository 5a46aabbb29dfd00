package dev.deltawatch.worker.capture;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads change events from a topic from its beginning, for tests. */
final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ChangeEvent> seen = new ArrayList<>();

    TopicReader(String topic) {
        consumer = KafkaClients.consumer(TestInfrastructure.kafka(), "test-" + UUID.randomUUID(),
                Map.of("max.poll.records", 5000));
        consumer.subscribe(List.of(topic));
    }

    /** Polls until an event matching {@code wanted} arrives; fails after {@code timeout}. */
    ChangeEvent await(Predicate<ChangeEvent> wanted, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < seen.size(); checked++) {
                if (wanted.test(seen.get(checked))) {
                    return seen.get(checked);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no event " + what + " within " + timeout + "; saw " + seen.size()
                        + " events: " + seen.stream().limit(20).map(TopicReader::describe).toList());
            }
            poll();
        }
    }

    /** Polls until {@code count} events were read in total (or the timeout passes); returns all read. */
    List<ChangeEvent> awaitCount(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() < count && System.nanoTime() < deadline) {
            poll();
        }
        return seen;
    }

    List<ChangeEvent> seen() {
        return seen;
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            seen.add(Contracts.decode(r.value(), ChangeEvent.class));
        }
    }

    static String describe(ChangeEvent e) {
        return e.kind() == ChangeEvent.Kind.DELTA_ROW ? e.operation() + " " + e.table() + "/" + e.recordKey()
                : e.schemaChange().commandTag() + " " + e.schemaChange().objectType() + " "
                + e.schemaChange().objectIdentity() + " on " + e.schemaChange().tableName();
    }

    Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> p = new java.util.HashMap<>();
        consumer.assignment().forEach(tp -> p.put(tp, consumer.position(tp)));
        return p;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
