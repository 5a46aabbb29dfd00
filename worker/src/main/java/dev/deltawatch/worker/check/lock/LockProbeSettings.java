package dev.deltawatch.worker.check.lock;

import dev.deltawatch.worker.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tunables of the lock probes. Every probe session runs under {@code statementTimeout}, {@code lockTimeout} and
 * {@code idleInTransactionTimeout}, so a probe never waits unbounded on a customer's database.
 *
 * @param statementTimeout         {@value #KEY_STATEMENT_TIMEOUT}: per statement of a probe session
 * @param lockTimeout              {@value #KEY_LOCK_TIMEOUT}: longest wait for one lock
 * @param idleInTransactionTimeout {@value #KEY_IDLE_TIMEOUT}: server ends a probe transaction left open this long
 * @param deadlockTimeout          {@value #KEY_DEADLOCK_TIMEOUT}: set per probe session when the role may (superuser)
 * @param deadlockSlack            {@value #KEY_DEADLOCK_SLACK}: detection may take deadlock_timeout plus this
 * @param lostUpdateWorkers        {@value #KEY_WORKERS}: concurrent read-modify-write workers
 * @param lostUpdateIncrements     {@value #KEY_INCREMENTS}: increments per worker
 * @param raceSleep                {@value #KEY_RACE_SLEEP}: pg_sleep between read and write in the race (0: none)
 * @param blockingThreshold        {@value #KEY_BLOCKING_THRESHOLD}: a lock wait longer than this is a finding
 * @param stepWait                 {@value #KEY_STEP_WAIT}: how long an interleaved step may run before the next
 *                                 one starts (a step found waiting on a lock lets the next one start at once)
 * @param applicationRole          {@value #KEY_APPLICATION_ROLE}: role whose timeouts the settings check reads;
 *                                 {@code null} means the connecting role
 */
public record LockProbeSettings(Duration statementTimeout, Duration lockTimeout, Duration idleInTransactionTimeout,
                                Duration deadlockTimeout, Duration deadlockSlack, int lostUpdateWorkers,
                                int lostUpdateIncrements, Duration raceSleep, Duration blockingThreshold,
                                Duration stepWait, String applicationRole) {

    public static final String KEY_STATEMENT_TIMEOUT = "deltawatch.check.lock.statement.timeout.ms";
    public static final String KEY_LOCK_TIMEOUT = "deltawatch.check.lock.lock.timeout.ms";
    public static final String KEY_IDLE_TIMEOUT = "deltawatch.check.lock.idle.in.transaction.timeout.ms";
    public static final String KEY_DEADLOCK_TIMEOUT = "deltawatch.check.lock.deadlock.timeout.ms";
    public static final String KEY_DEADLOCK_SLACK = "deltawatch.check.lock.deadlock.slack.ms";
    public static final String KEY_WORKERS = "deltawatch.check.lock.lost.update.workers";
    public static final String KEY_INCREMENTS = "deltawatch.check.lock.lost.update.increments";
    public static final String KEY_RACE_SLEEP = "deltawatch.check.lock.race.sleep.ms";
    public static final String KEY_BLOCKING_THRESHOLD = "deltawatch.check.lock.blocking.threshold.ms";
    public static final String KEY_STEP_WAIT = "deltawatch.check.lock.step.wait.ms";
    public static final String KEY_APPLICATION_ROLE = "deltawatch.check.lock.application.role";

    public LockProbeSettings {
        List<String> problems = new ArrayList<>();
        positive(problems, KEY_STATEMENT_TIMEOUT, statementTimeout);
        positive(problems, KEY_LOCK_TIMEOUT, lockTimeout);
        positive(problems, KEY_IDLE_TIMEOUT, idleInTransactionTimeout);
        positive(problems, KEY_DEADLOCK_TIMEOUT, deadlockTimeout);
        positive(problems, KEY_DEADLOCK_SLACK, deadlockSlack);
        positive(problems, KEY_BLOCKING_THRESHOLD, blockingThreshold);
        positive(problems, KEY_STEP_WAIT, stepWait);
        if (raceSleep == null || raceSleep.isNegative()) {
            problems.add("Invalid value " + raceSleep + " for configuration " + KEY_RACE_SLEEP + ": must be >= 0");
        }
        if (lostUpdateWorkers < 2 || lostUpdateWorkers > 256) {
            problems.add("Invalid value " + lostUpdateWorkers + " for configuration " + KEY_WORKERS
                    + ": must be between 2 and 256");
        }
        if (lostUpdateIncrements < 1) {
            problems.add("Invalid value " + lostUpdateIncrements + " for configuration " + KEY_INCREMENTS
                    + ": must be >= 1");
        }
        if (problems.isEmpty() && lockTimeout.compareTo(deadlockTimeout) <= 0) {
            // With lock_timeout <= deadlock_timeout a deadlock surfaces as 55P03 and is never detected as one.
            problems.add("Invalid value " + lockTimeout.toMillis() + " for configuration " + KEY_LOCK_TIMEOUT
                    + ": must be greater than " + KEY_DEADLOCK_TIMEOUT + " (" + deadlockTimeout.toMillis() + ")");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("lock probe settings", problems);
        }
        applicationRole = applicationRole == null || applicationRole.isBlank() ? null : applicationRole;
    }

    public static LockProbeSettings defaults() {
        return new LockProbeSettings(Duration.ofSeconds(30), Duration.ofSeconds(3), Duration.ofSeconds(60),
                Duration.ofMillis(200), Duration.ofSeconds(2), 16, 5, Duration.ZERO, Duration.ofSeconds(5),
                Duration.ofSeconds(1), null);
    }

    public LockProbeSettings withLostUpdate(int workers, int increments) {
        return new LockProbeSettings(statementTimeout, lockTimeout, idleInTransactionTimeout, deadlockTimeout,
                deadlockSlack, workers, increments, raceSleep, blockingThreshold, stepWait, applicationRole);
    }

    public LockProbeSettings withRaceSleep(Duration sleep) {
        return new LockProbeSettings(statementTimeout, lockTimeout, idleInTransactionTimeout, deadlockTimeout,
                deadlockSlack, lostUpdateWorkers, lostUpdateIncrements, sleep, blockingThreshold, stepWait,
                applicationRole);
    }

    public LockProbeSettings withBlockingThreshold(Duration threshold) {
        return new LockProbeSettings(statementTimeout, lockTimeout, idleInTransactionTimeout, deadlockTimeout,
                deadlockSlack, lostUpdateWorkers, lostUpdateIncrements, raceSleep, threshold, stepWait,
                applicationRole);
    }

    public LockProbeSettings withApplicationRole(String role) {
        return new LockProbeSettings(statementTimeout, lockTimeout, idleInTransactionTimeout, deadlockTimeout,
                deadlockSlack, lostUpdateWorkers, lostUpdateIncrements, raceSleep, blockingThreshold, stepWait, role);
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            problems.add("Invalid value " + (value == null ? "null" : value.toMillis()) + " for configuration "
                    + key + ": must be >= 1");
        }
    }
}
