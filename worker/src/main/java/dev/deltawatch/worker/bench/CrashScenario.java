package dev.deltawatch.worker.bench;

import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.time.Duration;
import java.util.List;

/**
 * kill -9 of the worker while delta updates stream through, then a restart: does every committed record version
 * still get verified, and is no finding transition announced twice? Used by {@code bench crash} at full size and
 * by the crash test at a small one.
 */
public final class CrashScenario {
    private static final Duration START = Duration.ofSeconds(120);

    /**
     * @param committed      record versions the database committed during the scenario
     * @param captured       distinct record versions on the changes topic
     * @param verified       of those, how many a completed differential run covered afterwards
     * @param killedAt       versions committed when the worker was killed
     * @param recoverySeconds from the kill until the restarted worker was ready again
     * @param drainSeconds   from the end of the updates until the last version was verified
     * @param sigtermExit    exit code of the restarted worker on SIGTERM at the end (-1: not within 10 s)
     */
    public record Result(long committed, int captured, int verified, int announcements, int opened,
                         int duplicateAnnouncements, long killedAt, double recoverySeconds, double drainSeconds,
                         int sigtermExit, List<String> unverifiedExamples) {}

    private CrashScenario() {}

    public static Result run(PostgresAddress server, KafkaAddress kafka, String name, int records, long updates,
                             int perSecond, Duration drainTimeout) throws Exception {
        try (ReliabilityRig rig = ReliabilityRig.create(server, kafka, name, records)) {
            WorkerProcess first = rig.startWorker();
            if (!first.awaitReady(START) || !rig.awaitSlotActive(START)) {
                throw new IllegalStateException("the worker did not become ready:\n" + first.logTail(40));
            }
            long killedAt;
            double recovery;
            WorkerProcess second;
            long streamEnded;
            try (UpdateStream stream = rig.stream(updates, 100, perSecond)) {
                while (stream.committed() < updates / 2 && !stream.finished()) {
                    Thread.sleep(20);
                }
                first.kill();
                killedAt = stream.committed();
                long killed = System.nanoTime();
                second = rig.startWorker();
                if (!second.awaitReady(START)) {
                    throw new IllegalStateException("the restarted worker did not become ready:\n"
                            + second.logTail(40));
                }
                recovery = (System.nanoTime() - killed) / 1e9;
                stream.awaitFinished();
                streamEnded = System.nanoTime();
            }
            VerificationLedger.Tally tally = rig.awaitVerified(drainTimeout);
            double drain = (System.nanoTime() - streamEnded) / 1e9;
            int exit = second.terminate(Duration.ofSeconds(10));
            return new Result(rig.committedVersions(), tally.captured(), tally.verified(), tally.announcements(),
                    tally.opened(), tally.duplicateAnnouncements(), killedAt, recovery, drain, exit,
                    tally.unverifiedExamples());
        }
    }
}
