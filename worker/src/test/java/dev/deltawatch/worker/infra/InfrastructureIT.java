package dev.deltawatch.worker.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

class InfrastructureIT {

    @Test
    void postgresIsVersion17WithLogicalWalAndPgStatStatements() throws Exception {
        PostgresAddress pg = TestInfrastructure.freshDatabase("infra");
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement s = c.createStatement()) {
            assertThat(scalar(s, "SHOW server_version_num")).startsWith("17");
            assertThat(scalar(s, "SHOW wal_level")).isEqualTo("logical");
            assertThat(scalar(s, "SHOW shared_preload_libraries")).contains("pg_stat_statements");
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            assertThat(scalar(s, "SELECT count(*) >= 0 FROM pg_stat_statements")).isEqualTo("t");
        }
    }

    @Test
    void kafkaBrokerAcceptsAndDeliversARecord() throws Exception {
        KafkaAddress kafka = TestInfrastructure.kafka();
        String topic = TestInfrastructure.uniqueTopic("infra");
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "infra-it", Map.of())) {
            RecordMetadata meta = producer.send(new ProducerRecord<>(topic, "k", "hello".getBytes(StandardCharsets.UTF_8)))
                    .get();
            assertThat(meta.offset()).isZero();
        }
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(kafka, "infra-it-" + topic, Map.of())) {
            consumer.subscribe(List.of(topic));
            ConsumerRecord<String, byte[]> got = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    got = r;
                }
            }
            assertThat(got).as("record consumed within 30 s").isNotNull();
            assertThat(got.key()).isEqualTo("k");
            assertThat(new String(got.value(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void withDatabaseKeepsServerAndParameters() {
        PostgresAddress a = new PostgresAddress("jdbc:postgresql://h:5/db?ssl=true", "u", "p");
        assertThat(a.withDatabase("other").jdbcUrl()).isEqualTo("jdbc:postgresql://h:5/other?ssl=true");
        assertThat(a.toString()).doesNotContain("p]").contains("as u");
    }

    private static String scalar(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
