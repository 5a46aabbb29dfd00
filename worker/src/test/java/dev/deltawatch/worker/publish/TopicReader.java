package dev.deltawatch.worker.publish;

import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic, every partition, from the beginning to its current end. */
final class TopicReader {
    private TopicReader() {}

    static List<ConsumerRecord<String, byte[]>> readAll(KafkaAddress kafka, String topic) {
        try (KafkaConsumer<String, byte[]> c = KafkaClients.groupless(kafka, "test-reader")) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            out.sort(java.util.Comparator.comparing((ConsumerRecord<String, byte[]> r) -> r.timestamp())
                    .thenComparing(ConsumerRecord::offset));
            return out;
        }
    }
}
