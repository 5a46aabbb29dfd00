package dev.deltawatch.worker.check.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Two writers call the write function with the same expected version at the same moment (a barrier, and
 * optionally {@code pg_sleep} between their read and their write). Exactly one must apply (the version rises by
 * the path's measured step), the other must get the configured conflict error. When both apply although the path
 * refuses an outdated version one writer at a time, the version check and the write are not atomic
 * ({@value #RULE_CHECK_THEN_ACT}); any other outcome is {@value #RULE}. Both BLOCKER. Defects that one writer at a
 * time reveals (a step of two, a swallowed conflict, no versioning at all) are {@link StaleWriteCheck}'s findings,
 * and {@link LockDiagnosis} keeps this check from repeating them.
 */
public final class SameVersionRaceCheck implements Check {
    public static final String RULE = LockDiagnosis.SAME_VERSION_RACE;
    public static final String RULE_CHECK_THEN_ACT = LockDiagnosis.CHECK_THEN_ACT;
    /** Each writer marks the delta with its own key, so the delta shows how many writes applied. */
    static final String WRITER_MARK = "deltawatch_probe_writer_";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LockProbeSettings settings;

    public SameVersionRaceCheck(LockProbeSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "lock.same-version-race";
    }

    @Override
    public String family() {
        return "lock";
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        try (ProbeFixture f = ProbeFixture.open(context, settings, "race")) {
            WriteProfile profile = WriteProfile.measure(f);
            String key = f.newDocument();
            WritePath.RowState startState = f.read(key);
            List<WriteOutcome> outcomes = race(f, key, startState.expected());
            WritePath.RowState endState = f.read(key);
            long wins = outcomes.stream().filter(WriteOutcome::succeeded).count();
            long conflicts = outcomes.stream().filter(o -> f.writePath().isConflict(o))
                    .count();
            long applied = writerMarks(endState.deltaJson());
            // A token does not count writes: the writers' marks in the delta say how many applied.
            long rose = profile.token() ? (endState.sameVersion(startState) ? 0 : applied)
                    : endState.version() - startState.version();
            LockDiagnosis.Verdict verdict = LockDiagnosis.sameVersionRace(profile, wins, conflicts, rose);
            String start = startState.versionLabel();
            String end = endState.versionLabel();
            if (!verdict.judged()) {
                return List.of();
            }
            if (!verdict.failed()) {
                return List.of(CheckResult.pass(RULE, f.subject()), CheckResult.pass(RULE_CHECK_THEN_ACT, f.subject()));
            }
            String both = "writer 1: " + outcomes.get(0).describe() + "\nwriter 2: " + outcomes.get(1).describe()
                    + "\nversion before: " + start + ", after: " + end + " (expected " + (profile.token()
                    ? "a new token" : String.valueOf(startState.version() + 1)) + ")\nwrites applied (their marks in "
                    + "the delta): " + applied;
            var finding = context.finding(this, verdict.failedRule(), Severity.BLOCKER, f.subject())
                    .evidence("both outcomes", "text", both)
                    .evidence("one writer at a time", "text", profile.describe())
                    .fix("Make the write path `UPDATE ... SET version = version + 1 WHERE key = $1 AND version = "
                            + "$expected` and signal " + f.writePath().conflictDescription() + " when no row matched.")
                    .reproductionSql("-- two sessions at once, both with the same expected version:\n"
                            + f.writePath().callSql(key, "{\"probe\":1}", startState.expected()) + "\n"
                            + f.writePath().callSql(key, "{\"probe\":2}", startState.expected()));
            if (verdict.failedRule().equals(RULE_CHECK_THEN_ACT)) {
                finding.title("Version check and write are not atomic: two writers with version " + start
                                + " both succeeded")
                        .problem("One writer at a time, the write path refuses an outdated version. But two writers "
                                + "holding the same version both passed the version check before either wrote, and "
                                + "both writes applied (version " + start + " -> " + end + "): the check reads the version "
                                + "in one statement and the write updates by key in another, so the second write "
                                + "overwrites the first without a conflict.");
            } else {
                finding.title("Two writers with the same version: " + wins + " succeeded, " + conflicts
                                + " got the version conflict")
                        .problem("Optimistic locking must let exactly one of two writers holding the same expected "
                                + "version win and refuse the other with " + f.writePath().conflictDescription()
                                + ". Here " + wins + " won, so concurrent edits silently "
                                + "overwrite each other.");
            }
            return List.of(CheckResult.fail(finding.build()), CheckResult.pass(
                    verdict.failedRule().equals(RULE) ? RULE_CHECK_THEN_ACT : RULE, f.subject()));
        }
    }

    private List<WriteOutcome> race(ProbeFixture f, String key, Object start) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<WriteOutcome>> futures = new ArrayList<>();
            for (int w = 1; w <= 2; w++) {
                String patch = "{\"" + WRITER_MARK + w + "\": true}";
                String name = "w" + w;
                futures.add(pool.submit(() -> writeOnce(f, name, key, patch, start, barrier)));
            }
            List<WriteOutcome> out = new ArrayList<>();
            long waitMs = settings.statementTimeout().plus(settings.lockTimeout()).toMillis();
            for (Future<WriteOutcome> fut : futures) {
                out.add(fut.get(waitMs, TimeUnit.MILLISECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private WriteOutcome writeOnce(ProbeFixture f, String name, String key, String patch, Object version,
                                   CyclicBarrier barrier) throws Exception {
        try (ProbeSession s = f.session(name)) {
            s.begin();
            barrier.await(settings.lockTimeout().toMillis(), TimeUnit.MILLISECONDS);
            f.writePath().read(s.connection(), key);
            if (!settings.raceSleep().isZero()) {
                // Widens the window between the application's read and its write, as a slow request would.
                try (PreparedStatement ps = s.connection().prepareStatement("SELECT pg_sleep(?)")) {
                    ps.setDouble(1, settings.raceSleep().toMillis() / 1000.0);
                    ps.execute();
                }
            }
            WriteOutcome o = f.writePath().write(s.connection(), key, patch, version);
            return finish(s, o);
        }
    }

    private static long writerMarks(String deltaJson) throws java.io.IOException {
        if (deltaJson == null) {
            return 0;
        }
        JsonNode delta = JSON.readTree(deltaJson);
        return (delta.has(WRITER_MARK + 1) ? 1 : 0) + (delta.has(WRITER_MARK + 2) ? 1 : 0);
    }

    /** Commits a successful write; a failed commit (e.g. a serialization failure) is the write's outcome. */
    static WriteOutcome finish(ProbeSession s, WriteOutcome o) {
        if (!o.succeeded()) {
            s.rollbackQuietly();
            return o;
        }
        try {
            s.connection().commit();
            return o;
        } catch (SQLException e) {
            s.rollbackQuietly();
            return WriteOutcome.failure(e);
        }
    }
}
