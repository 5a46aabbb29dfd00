package dev.deltawatch.worker.check.lock;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deadlocks through the write path, two schedules on probe rows A and B:
 * <ol>
 *   <li>opposite order (T1: A then B, T2: B then A): PostgreSQL must detect the deadlock (40P01) within
 *       deadlock_timeout + slack, and the victim's retry must then succeed. The time to detection is reported.</li>
 *   <li>one-directional overlap (T1: A, T2: B, T1: B, T2 commits): writers of distinct records in one order can
 *       only wait, never deadlock. A deadlock here means the write path takes a hidden lock beyond the record's
 *       own row (e.g. a trigger updating a shared row of another table): HIGH, deadlock-prone.</li>
 * </ol>
 */
public final class DeadlockCheck implements Check {
    public static final String RULE_DETECTION = "deadlock-not-resolved";
    public static final String RULE_PRONE = "deadlock-prone-write-path";

    private final LockProbeSettings settings;
    private volatile Long lastDetectionMillis;

    public DeadlockCheck(LockProbeSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "lock.deadlock";
    }

    @Override
    public String family() {
        return "lock";
    }

    /** Milliseconds from closing the lock cycle to the 40P01 in the last run; null if none was seen. */
    public Long lastDetectionMillis() {
        return lastDetectionMillis;
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        try (ProbeFixture f = ProbeFixture.open(context, settings, "deadlock")) {
            List<CheckResult> out = new ArrayList<>();
            out.add(oppositeOrder(context, f));
            out.add(overlap(context, f));
            return out;
        }
    }

    private CheckResult oppositeOrder(CheckContext context, ProbeFixture f) throws Exception {
        String a = f.newDocument();
        String b = f.newDocument();
        long deadlockTimeout;
        try (ProbeSession s = f.session("timeout")) {
            deadlockTimeout = s.effectiveDeadlockTimeoutMs();
        }
        if (deadlockTimeout >= settings.lockTimeout().toMillis()) {
            // The lock timeout would fire first and hide the deadlock: an error run, not a false finding.
            throw new IllegalStateException("deadlock_timeout is " + deadlockTimeout + " ms (this role cannot lower it)"
                    + ", not below " + LockProbeSettings.KEY_LOCK_TIMEOUT + " = " + settings.lockTimeout().toMillis()
                    + " ms; raise " + LockProbeSettings.KEY_LOCK_TIMEOUT + " above it");
        }
        lastDetectionMillis = null;
        String transcript;
        Interleaving.Step victim = null;
        long cycleClosed;
        try (Interleaving it = Interleaving.open(context.dataSource(), settings, "deadlock", 2, null)) {
            write(it, f, 1, "T1 write A", a);
            write(it, f, 2, "T2 write B", b);
            write(it, f, 1, "T1 write B", b);
            cycleClosed = System.nanoTime();
            write(it, f, 2, "T2 write A", a);
            it.commit(1);
            it.commit(2);
            for (Interleaving.Step s : it.results()) {
                if (s.error() != null && "40P01".equals(s.error().getSQLState())) {
                    victim = s;
                }
            }
            transcript = it.transcript();
        }
        String evidence = transcript + "deadlock_timeout: " + deadlockTimeout + " ms, slack: "
                + settings.deadlockSlack().toMillis() + " ms";
        if (victim == null) {
            return fail(context, f, RULE_DETECTION, "Deadlock between opposite-order writers was not detected",
                    evidence, "Two transactions wrote two records in opposite order; PostgreSQL should have aborted "
                            + "one with 40P01, but the schedule ended otherwise (a lock timeout, or no lock at all).");
        }
        long detection = (victim.endNanos() - Math.max(victim.startNanos(), cycleClosed)) / 1_000_000;
        lastDetectionMillis = detection;
        evidence += "\ntime to detection: " + detection + " ms";
        if (detection > deadlockTimeout + settings.deadlockSlack().toMillis()) {
            return fail(context, f, RULE_DETECTION, "Deadlock detected only after " + detection + " ms", evidence,
                    "The deadlock was detected later than deadlock_timeout + slack; writers hang that long.");
        }
        String retry = retry(f, victim.tx() == 1 ? List.of(a, b) : List.of(b, a));
        if (retry != null) {
            return fail(context, f, RULE_DETECTION, "The deadlock victim's retry failed", evidence + "\nretry: "
                    + retry, "After a deadlock the documented remedy is to retry the transaction; the retry failed.");
        }
        return CheckResult.pass(RULE_DETECTION, f.subject());
    }

    private CheckResult overlap(CheckContext context, ProbeFixture f) throws Exception {
        String a = f.newDocument();
        String b = f.newDocument();
        try (Interleaving it = Interleaving.open(context.dataSource(), settings, "deadlock-overlap", 2, null)) {
            write(it, f, 1, "T1 write A", a);
            write(it, f, 2, "T2 write B", b);
            write(it, f, 1, "T1 write B", b);
            it.commit(2);
            it.commit(1);
            boolean deadlock = it.results().stream()
                    .anyMatch(s -> s.error() != null && "40P01".equals(s.error().getSQLState()));
            if (!deadlock) {
                return CheckResult.pass(RULE_PRONE, f.subject());
            }
            StringBuilder waits = new StringBuilder();
            it.lockWaits().forEach((step, who) -> waits.append(step).append(": ").append(who).append('\n'));
            return CheckResult.fail(context.finding(this, RULE_PRONE, Severity.HIGH, f.subject())
                    .title("Writers of different records deadlock through the write path")
                    .evidence("schedule", "text", it.transcript())
                    .evidence("lock waits", "text", waits.isEmpty() ? "(none seen)" : waits.toString().strip())
                    .problem("T1 wrote record A, T2 wrote record B, then T1 wrote B. Writers of distinct records in "
                            + "one order should only wait; here T2's write of B already waited on T1, so the write path "
                            + "locks something shared beyond the record's own row (typically a trigger updating a "
                            + "row of another table), and the two transactions deadlocked.")
                    .fix("Take shared locks in one global order: move the shared-row update out of the row trigger "
                            + "(aggregate asynchronously or per statement), or lock the shared row first in every "
                            + "path, before the record rows.")
                    .reproductionSql("-- session 1: BEGIN; " + f.writePath().callSql(a, "{}", "<v>") + "\n"
                            + "-- session 2: BEGIN; " + f.writePath().callSql(b, "{}", "<v>") + "  -- waits\n"
                            + "-- session 1: " + f.writePath().callSql(b, "{}", "<v>") + "  -- deadlock")
                    .build());
        }
    }

    private void write(Interleaving it, ProbeFixture f, int tx, String label, String key) throws SQLException {
        it.step(tx, label, c -> {
            WritePath.RowState state = f.writePath().read(c, key);
            WriteOutcome o = f.writePath().write(c, key, "{\"deltawatch_probe_step\": \"" + label + "\"}",
                    state.expected());
            if (!o.succeeded()) {
                throw new SQLException(o.message(), o.sqlState());
            }
            return o.newVersion();
        });
    }

    /** Re-runs the victim's transaction; returns null on success or what went wrong. */
    private String retry(ProbeFixture f, List<String> keys) throws SQLException {
        try (ProbeSession s = f.session("retry")) {
            s.begin();
            for (String key : keys) {
                WriteOutcome o = f.writePath().write(s.connection(), key, "{\"deltawatch_probe_step\": \"retry\"}",
                        f.writePath().read(s.connection(), key).expected());
                if (!o.succeeded()) {
                    s.rollbackQuietly();
                    return o.describe();
                }
            }
            WriteOutcome done = SameVersionRaceCheck.finish(s, WriteOutcome.success(null));
            return done.succeeded() ? null : done.describe();
        }
    }

    private CheckResult fail(CheckContext context, ProbeFixture f, String rule, String title, String evidence,
                             String problem) {
        return CheckResult.fail(context.finding(this, rule, Severity.HIGH, f.subject())
                .title(title)
                .evidence("schedule", "text", evidence)
                .problem(problem)
                .fix("Keep deadlock_timeout at its default (1s) or lower, keep lock_timeout above it, and retry "
                        + "transactions that fail with 40P01 or 40001 in the application.")
                .build());
    }
}
