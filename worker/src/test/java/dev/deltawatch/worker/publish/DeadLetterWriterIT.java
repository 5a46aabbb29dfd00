package dev.deltawatch.worker.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.infra.WorkerMetrics;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

class DeadLetterWriterIT {

    @Test
    void parksAnUndecodableChangeByteForByteWithReasonAndSourceInHeaders() {
        FeedTopics topics = FeedTopics.prefixed(TestInfrastructure.uniqueTopic("dlq"));
        byte[] garbage = "{\"schemaVersion\": 1, \"op\": \n".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<String, byte[]> poisoned = new ConsumerRecord<>("deltawatch.changes", 2, 1234L,
                "public.pfa_records/42", garbage);
        try (Admin admin = KafkaClients.admin(TestInfrastructure.kafka());
             KafkaProducer<String, byte[]> producer = KafkaClients.producer(TestInfrastructure.kafka(), "dlq-it",
                     Map.of());
             WorkerMetrics metrics = WorkerMetrics.create()) {
            topics.ensure(admin);
            new DeadLetterWriter(producer, topics.dlq(), metrics)
                    .write(poisoned, "invalid ChangeEvent: malformed JSON: Unexpected end-of-input\nat line 2");
            assertThat(metrics.registry().get("deltawatch.dlq.records").counter().count()).isEqualTo(1);
        }
        List<ConsumerRecord<String, byte[]>> parked = TopicReader.readAll(TestInfrastructure.kafka(), topics.dlq());
        assertThat(parked).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("public.pfa_records/42");
            assertThat(r.value()).isEqualTo(garbage);
            assertThat(header(r, DeadLetterWriter.REASON))
                    .isEqualTo("invalid ChangeEvent: malformed JSON: Unexpected end-of-input at line 2");
            assertThat(header(r, DeadLetterWriter.SOURCE_TOPIC)).isEqualTo("deltawatch.changes");
            assertThat(header(r, DeadLetterWriter.SOURCE_PARTITION)).isEqualTo("2");
            assertThat(header(r, DeadLetterWriter.SOURCE_OFFSET)).isEqualTo("1234");
        });
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
