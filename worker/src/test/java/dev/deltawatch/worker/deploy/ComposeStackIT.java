package dev.deltawatch.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * {@code docker compose up} without Docker: the services of the real docker-compose.yml, in the order its
 * {@code depends_on} gives, run from the image's files and entrypoint against an empty database on the embedded
 * PostgreSQL and the embedded Kafka (see {@link ComposeSequence}). The worker must become ready and publish its
 * start-up baseline; a second {@code up} must succeed without seeding again; and without the setup the worker
 * must not come up, which is what a new user got before it existed.
 */
class ComposeStackIT {
    private static final Path ROOT = Path.of("..");
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    private static final String WORKER = "deltawatch";

    @Test
    void theStackComesUpWatchingTheSeededReferenceTargetAndARestartSeedsNothingMore() throws Exception {
        ComposeFile compose = ComposeFile.read(COMPOSE);
        assertThat(compose.names().stream().filter(compose::isOneShot)).as("one-shot services").isNotEmpty();
        PostgresAddress db = TestInfrastructure.freshDatabase("compose_up");
        String isolation = "compose" + System.nanoTime() % 1_000_000_000L;
        ComposeSequence stack = new ComposeSequence(ROOT, compose, db, TestInfrastructure.kafka(), isolation);
        try {
            assertThat(stack.up(Duration.ofMinutes(3))).as(stack.transcript()).isTrue();
            assertThat(stack.running()).extracting(ComposeSequence.Running::service).containsExactly(WORKER);
            long records = records(db);
            assertThat(records).as("records seeded by the setup").isPositive();

            Set<String> families = WorkerConfigLoader.load(ROOT.resolve("deploy/config/worker.yaml"), Map.of(),
                    List.of()).families();
            Set<String> baseline = baselineFamilies(stack.topic(WorkerConfigDef.TOPIC_CHECK_RUNS), families,
                    Duration.ofMinutes(4));
            assertThat(baseline).as("families of the start-up baseline's check runs\n" + stack.transcript())
                    .containsAll(families);

            stack.close();
            assertThat(stack.rerunOneShots()).as(stack.transcript()).isTrue();
            assertThat(records(db)).as("records after a second `up`").isEqualTo(records);
            assertThat(stack.transcript()).contains("already holds records; not seeding");
        } finally {
            stack.close();
            dropSlot(db, stack.slot());
        }
    }

    @Test
    void withoutTheOneShotSetupTheWorkerDoesNotComeUp() throws Exception {
        ComposeFile compose = ComposeFile.read(COMPOSE);
        for (String oneShot : compose.names().stream().filter(compose::isOneShot).toList()) {
            compose = compose.without(oneShot);
        }
        PostgresAddress db = TestInfrastructure.freshDatabase("compose_bare");
        String isolation = "composebare" + System.nanoTime() % 1_000_000_000L;
        try (ComposeSequence stack = new ComposeSequence(ROOT, compose, db, TestInfrastructure.kafka(), isolation)) {
            assertThat(stack.up(Duration.ofMinutes(2))).as(stack.transcript()).isFalse();
            assertThat(stack.transcript()).contains(WORKER + " exited 2 before it was ready")
                    .contains("no table 'pfa_records'");
        }
    }

    /** The families of SCHEDULE check runs on {@code topic}, read until they cover {@code expected} or time runs out. */
    static Set<String> baselineFamilies(String topic, Set<String> expected, Duration within) {
        Set<String> seen = new TreeSet<>();
        try (KafkaConsumer<String, byte[]> c = KafkaClients.consumer(TestInfrastructure.kafka(),
                "reader-" + System.nanoTime(), Map.of())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + within.toNanos();
            while (!seen.containsAll(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    CheckRun run = Contracts.decode(r.value(), CheckRun.class);
                    if (run.trigger().reason() == Trigger.Reason.SCHEDULE) {
                        seen.add(run.family());
                    }
                }
            }
        }
        return seen;
    }

    /** Records of the reference target outside the probe namespace (probes come and go while the worker runs). */
    private static long records(PostgresAddress db) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FROM public.pfa_records WHERE organization_id IS DISTINCT FROM ?")) {
            ps.setString(1, "__deltawatch_probe__");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void dropSlot(PostgresAddress db, String slot) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) "
                     + "FROM pg_replication_slots WHERE slot_name = ? AND NOT active")) {
            ps.setString(1, slot);
            ps.execute();
        }
    }
}
