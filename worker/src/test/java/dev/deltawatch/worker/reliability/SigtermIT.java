package dev.deltawatch.worker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.bench.WorkerProcess;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import dev.deltawatch.worker.testing.TestWorkerConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deltawatch run} as a real process: SIGTERM after it is ready and has processed a change stops it in
 * order within 10 s with exit code 0, the slot is released, and the validate group committed what it consumed.
 */
class SigtermIT {

    @Test
    void sigtermStopsTheWorkerInOrderWithinTenSecondsAndExitsZero(@TempDir Path dir) throws Exception {
        String name = "sigterm" + System.nanoTime() % 1_000_000;
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("sigterm_" + name)) {
            CaptureInstaller.install(ds, ReferenceTarget.config(), CaptureSettings.defaults().withNames(name, name,
                    name + ".changes", "deltawatch.capture.offsets." + name));
            long id = Long.parseLong(query(ds, "INSERT INTO pfa_records (organization_id, mirror_json) VALUES "
                    + "('HOLNG', '{\"category\":\"Cranes\"}') RETURNING id"));
            int port = freePort();
            Path config = dir.resolve("worker.yaml");
            Files.writeString(config, TestWorkerConfig.yaml(name, ds.getJdbcUrl(), port));
            try (WorkerProcess worker = WorkerProcess.start(config, Map.of(), port, dir.resolve("worker.log"))) {
                assertThat(worker.awaitReady(Duration.ofSeconds(120))).as("ready; log:\n%s", worker.logTail(60))
                        .isTrue();
                Edit edit = () -> query(ds, "SELECT pfa_update_delta(" + id + ", '{\"notes\":\"before stop\"}', "
                        + "(SELECT version FROM pfa_records WHERE id = " + id + "))::text");
                // Edits until the group commits one: an edit made before the engine streams is not captured.
                awaitCommitted(name, worker, edit);
                // Then one more, stopped as soon as capture published it: the validate loop is still on it, so
                // only an orderly stop commits it.
                long published = changes(name, worker, 0);
                edit.run();
                changes(name, worker, published + 1);

                long sent = System.nanoTime();
                int exit = worker.terminate(Duration.ofSeconds(10)); // SIGTERM
                long tookMs = (System.nanoTime() - sent) / 1_000_000;
                assertThat(exit).as("exit code after SIGTERM (%d ms; -1: still running after 10 s); log:\n%s", tookMs,
                        worker.logTail(60)).isZero();
                String log = Files.readString(dir.resolve("worker.log"));
                assertThat(log).contains("stopping: closing the worker").contains("stopped in order");
                System.out.println("SIGTERM to exit: " + tookMs + " ms; " + log.lines()
                        .filter(l -> l.contains("stopped in order")).findFirst().orElse(""));
            }

            assertThat(query(ds, "SELECT active::text FROM pg_replication_slots WHERE slot_name = '" + name + "'"))
                    .as("the slot is kept, and released").isEqualTo("false");
            try (Admin admin = KafkaClients.admin(TestInfrastructure.kafka())) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(name)
                        .partitionsToOffsetAndMetadata().get();
                // Everything capture published (heartbeats are not published) was consumed, checked, published
                // and committed before the worker exited.
                endOffsets(admin, name + ".changes").forEach((tp, end) -> assertThat(
                        committed.get(tp) == null ? 0L : committed.get(tp).offset())
                        .as("committed offset of %s", tp).isEqualTo(end));
            } finally {
                query(ds, "SELECT count(pg_drop_replication_slot(slot_name))::text FROM pg_replication_slots "
                        + "WHERE slot_name = '" + name + "' AND NOT active");
            }
        }
    }

    interface Edit {
        Object run() throws Exception;
    }

    private static void awaitCommitted(String group, WorkerProcess worker, Edit edit) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long nextEdit = 0;
        try (Admin admin = KafkaClients.admin(TestInfrastructure.kafka())) {
            while (System.nanoTime() < deadline) {
                assertThat(worker.alive()).as("worker died; log:\n%s", worker.logTail(60)).isTrue();
                if (System.nanoTime() > nextEdit) {
                    edit.run();
                    nextEdit = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
                var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                if (offsets.values().stream().anyMatch(o -> o != null && o.offset() > 0)) {
                    return;
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("the validate group committed nothing within 90 s; log:\n" + worker.logTail(60));
    }

    /** Waits until the changes topic holds at least {@code atLeast} records; returns how many it holds. */
    private static long changes(String name, WorkerProcess worker, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = KafkaClients.admin(TestInfrastructure.kafka())) {
            while (true) {
                long total = endOffsets(admin, name + ".changes").values().stream().mapToLong(Long::longValue).sum();
                if (total >= atLeast) {
                    return total;
                }
                assertThat(worker.alive()).as("worker died; log:\n%s", worker.logTail(60)).isTrue();
                assertThat(System.nanoTime()).as("changes topic reached %d records", atLeast).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String query(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
