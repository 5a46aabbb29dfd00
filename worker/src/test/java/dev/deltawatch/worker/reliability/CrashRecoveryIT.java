package dev.deltawatch.worker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.bench.CrashScenario;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a real worker process halfway through a stream of delta updates: after a restart every committed
 * version is verified and no finding transition is announced twice. {@code deltawatch bench crash} runs the same
 * scenario with 100,000 updates.
 */
class CrashRecoveryIT {
    @Test
    void aKilledWorkerLosesNoVersionAndAnnouncesNothingTwice() throws Exception {
        CrashScenario.Result r = CrashScenario.run(TestInfrastructure.postgres(), TestInfrastructure.kafka(),
                "crash_" + ProcessHandle.current().pid(), 1000, 4000, 1000, Duration.ofMinutes(3));

        assertThat(r.killedAt()).as("killed mid-stream").isBetween(1L, 3999L);
        assertThat(r.committed()).isEqualTo(4000);
        assertThat(r.captured()).as("versions on the changes topic").isEqualTo(4000);
        assertThat(r.verified()).as("verified versions; unverified e.g. %s", r.unverifiedExamples()).isEqualTo(4000);
        // Every 100th record carries a JSON null the faulty merge deletes: one defect, so one finding, opened once.
        assertThat(r.opened()).isEqualTo(1);
        assertThat(r.duplicateAnnouncements()).isZero();
        assertThat(r.sigtermExit()).as("exit code of the restarted worker on SIGTERM").isZero();
    }
}
