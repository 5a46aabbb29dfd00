package dev.deltawatch.worker.publish;

import dev.deltawatch.contracts.ContractException;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted findings topic to its current end, every partition, without a consumer group (every
 * worker needs all of it). Each {@link #readNew} first asks for the end offsets, then polls until reached, so
 * a decision made right after it sees every transition acknowledged before it started.
 */
public final class CompactedFindingState implements FindingStateSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactedFindingState.class);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final String topic;

    public CompactedFindingState(KafkaAddress kafka, String topic) {
        this.topic = topic;
        this.consumer = KafkaClients.groupless(kafka, "deltawatch-findings-state");
        this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + topic + " has no partitions; create it first");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @Override
    public Map<String, Finding> readNew() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        Map<String, Finding> fresh = new HashMap<>();
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (!reached(end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within "
                        + CATCH_UP_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                apply(fresh, r);
            }
        }
        return fresh;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp, Duration.ofSeconds(30)) < end.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    private void apply(Map<String, Finding> fresh, ConsumerRecord<String, byte[]> r) {
        if (r.key() == null || r.value() == null) {
            return; // deltawatch writes no tombstones; a foreign one carries no state
        }
        try {
            fresh.put(r.key(), Contracts.decode(r.value(), Finding.class));
        } catch (ContractException e) {
            LOG.warn("findings-state: skipping unreadable record at {}-{}@{}: {}", r.topic(), r.partition(),
                    r.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
