package dev.deltawatch.worker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.bench.ReadinessTimeline;
import dev.deltawatch.worker.bench.ReliabilityRig;
import dev.deltawatch.worker.bench.UpdateStream;
import dev.deltawatch.worker.bench.VerificationLedger;
import dev.deltawatch.worker.bench.WorkerProcess;
import dev.deltawatch.worker.infra.EmbeddedKafkaBroker;
import dev.deltawatch.worker.infra.EmbeddedPostgresServer;
import dev.deltawatch.worker.infra.EmbeddedPostgresServer.ShutdownMode;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * A real worker process rides out its dependencies going away while delta updates keep coming: not ready while
 * they are gone, ready again on its own within 30 s of their return, every committed version verified, no finding
 * announced twice, and the same process throughout (no crash loop). Each test takes a server of its own, so
 * stopping it disturbs no other test.
 */
class OutageRecoveryIT {
    private static final Duration KAFKA_OUTAGE = Duration.ofSeconds(30);
    private static final Duration POSTGRES_DOWNTIME = Duration.ofSeconds(10);
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    @Test
    void aThirtySecondKafkaOutageLosesNothing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             ReliabilityRig rig = ReliabilityRig.create(TestInfrastructure.postgres(), broker.address(),
                     "kafka_outage_" + ProcessHandle.current().pid(), 1000)) {
            Outage outage = ride(rig, KAFKA_OUTAGE, broker::stop, broker::restart);
            outage.assertRiddenOut(rig);
        }
    }

    @ParameterizedTest
    @EnumSource(ShutdownMode.class)
    void aPostgresRestartLosesNothing(ShutdownMode mode) throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
             ReliabilityRig rig = ReliabilityRig.create(postgres.address(), TestInfrastructure.kafka(),
                     "pg_" + mode.name().toLowerCase() + "_" + ProcessHandle.current().pid(), 1000)) {
            Outage outage = ride(rig, POSTGRES_DOWNTIME, () -> postgres.shutdown(mode), postgres::restart);
            outage.assertRiddenOut(rig);
        }
    }

    private record Outage(WorkerProcess worker, Instant down, Instant back, Instant readyAgain,
                          List<ReadinessTimeline.Sample> whileDown, long streamFailures) {
        void assertRiddenOut(ReliabilityRig rig) throws Exception {
            // The probes notice within their 3 s timeout; from then on the worker must say it is not ready.
            // (The Kafka outage is 30 s; the PostgreSQL downtime is shorter, as a restart is.)
            assertThat(whileDown).as("readiness samples while down").isNotEmpty()
                    .allSatisfy(s -> assertThat(s.ready()).as("ready, asked at %s", s.asked()).isFalse());
            assertThat(readyAgain).as("ready again after the return at %s\n%s", back, worker.logTail(60)).isNotNull();
            assertThat(Duration.between(back, readyAgain)).isLessThanOrEqualTo(RECOVERY);
            assertThat(worker.alive()).as("the same worker process survived").isTrue();

            VerificationLedger.Tally tally = rig.awaitVerified(Duration.ofMinutes(3));
            long committed = rig.committedVersions();
            assertThat(committed).as("updates kept coming").isGreaterThan(1000);
            assertThat(tally.captured()).as("versions captured").isEqualTo((int) committed);
            assertThat(tally.verified()).as("versions verified; unverified e.g. %s", tally.unverifiedExamples())
                    .isEqualTo((int) committed);
            assertThat(tally.opened()).as("one finding for the records with a null in their delta").isEqualTo(1);
            assertThat(tally.duplicateAnnouncements()).isZero();
            LoggerFactory.getLogger(OutageRecoveryIT.class).info("outage ridden out: ready again {} ms after the "
                    + "return; {} versions committed, {} captured, {} verified; {} findings opened, {} duplicates",
                    Duration.between(back, readyAgain).toMillis(), committed, tally.captured(), tally.verified(),
                    tally.opened(), tally.duplicateAnnouncements());
        }
    }

    private static Outage ride(ReliabilityRig rig, Duration downtime, Runnable takeDown, Runnable bringBack)
            throws Exception {
        WorkerProcess worker = rig.startWorker();
        assertThat(worker.awaitReady(Duration.ofMinutes(2))).as(worker.logTail(60)).isTrue();
        assertThat(rig.awaitSlotActive(Duration.ofMinutes(1))).isTrue();
        try (ReadinessTimeline timeline = new ReadinessTimeline(worker::ready);
             UpdateStream stream = rig.stream(Long.MAX_VALUE, 20, 200)) {
            Thread.sleep(5000);
            takeDown.run(); // returns once the server is gone (a fast shutdown first writes a checkpoint)
            Instant down = Instant.now();
            Thread.sleep(downtime.toMillis());
            Instant back = Instant.now();
            bringBack.run();
            Instant readyAgain = null;
            long deadline = System.nanoTime() + RECOVERY.plusSeconds(30).toNanos();
            while (readyAgain == null && System.nanoTime() < deadline) {
                Thread.sleep(250);
                readyAgain = timeline.firstReadyAfter(back);
            }
            Thread.sleep(5000); // updates keep coming after the recovery, too
            return new Outage(worker, down, back, readyAgain, timeline.between(down.plusSeconds(4), back),
                    stream.failures());
        }
    }
}
