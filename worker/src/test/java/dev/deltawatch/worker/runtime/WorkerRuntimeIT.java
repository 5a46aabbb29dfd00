package dev.deltawatch.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import dev.deltawatch.worker.testing.TestWorkerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/** The whole flow in one process: a change on the target becomes a check run and, when broken, a finding. */
class WorkerRuntimeIT {

    static <T> List<T> readUntil(String topic, Class<T> type, Predicate<List<T>> done) {
        List<T> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = KafkaClients.consumer(TestInfrastructure.kafka(),
                "reader-" + System.nanoTime(), Map.of())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!done.test(seen) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    seen.add(Contracts.decode(r.value(), type));
                }
            }
        }
        return seen;
    }

    @Test
    void deltaEditsAreCheckedAndABrokenWritePathBecomesOneFinding() throws Exception {
        String name = "rt" + System.nanoTime() % 1_000_000;
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("runtime_" + name)) {
            CaptureSettings capture = CaptureSettings.defaults().withNames(name, name, name + ".changes",
                    "deltawatch.capture.offsets." + name);
            CaptureInstaller.install(ds, ReferenceTarget.config(), capture);
            long id;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                var rs = s.executeQuery("INSERT INTO pfa_records (organization_id, mirror_json) VALUES ('HOLNG', "
                        + "'{\"category\":\"Cranes\"}') RETURNING id");
                rs.next();
                id = rs.getLong(1);
            }
            WorkerConfig config = WorkerConfigLoader.parse(TestWorkerConfig.yaml(name, ds.getJdbcUrl(), 0), "test",
                    Map.of(), List.of());
            PostgresAddress pg = new PostgresAddress(ds.getJdbcUrl(), "postgres", "");
            try (WorkerRuntime runtime = WorkerRuntime.start(config, ReferenceTarget.config(), pg,
                    TestInfrastructure.kafka(), Clock.systemUTC())) {
                assertThat(runtime.capture().awaitStreaming(Duration.ofSeconds(60))).isTrue();
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT pfa_update_delta(" + id + ", '{\"notes\":\"clean\"}', 1)");
                }
                List<CheckRun> runs = readUntil(name + ".check-runs", CheckRun.class,
                        l -> l.stream().anyMatch(r -> r.check().equals("lock.version-discipline")));
                assertThat(runs).anySatisfy(r -> {
                    assertThat(r.check()).isEqualTo("lock.version-discipline");
                    assertThat(r.outcome()).isEqualTo(CheckRun.Outcome.PASSED);
                    assertThat(r.trigger().eventId()).isNotBlank();
                });

                String fault = new String(WorkerRuntimeIT.class.getResourceAsStream(
                        "/faults/lock/02_version_not_incremented.sql").readAllBytes(), StandardCharsets.UTF_8);
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute(fault);
                    s.execute("SELECT pfa_update_delta(" + id + ", '{\"notes\":\"broken\"}', 2)");
                }
                // The baseline pass at start may already have reported settings; this one is caused by the edit.
                List<Finding> findings = readUntil(name + ".findings", Finding.class, l -> l.stream()
                        .anyMatch(f -> f.family().equals("lock") && f.trigger().eventId() != null));
                assertThat(findings).anySatisfy(f -> {
                    assertThat(f.status()).isEqualTo(FindingStatus.OPENED);
                    assertThat(f.family()).isEqualTo("lock");
                    assertThat(f.markdown()).isNotBlank();
                    assertThat(f.trigger().eventId()).isNotBlank();
                });

                HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + runtime.metricsPort() + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + runtime.metricsPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.body()).contains("deltawatch_checks_total").contains("deltawatch_detection_latency_seconds");
            } finally {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                            + name + "' AND NOT active");
                }
            }
        }
    }
}
