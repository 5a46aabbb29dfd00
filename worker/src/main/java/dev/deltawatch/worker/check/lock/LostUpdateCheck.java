package dev.deltawatch.worker.check.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N workers each do M read-modify-write increments of a counter in the probe row's delta, through the write path,
 * retrying on the version conflict as the application should. Afterwards the counter must equal the number of
 * writes that applied (the version rise in units of the path's measured step); a shortfall is a lost update
 * (BLOCKER). Writes that reported success without applying are a swallowed conflict and a step other than one is a
 * version-step defect: {@link StaleWriteCheck} reports those, so {@link LockDiagnosis} keeps them out of this
 * count. On a path with no versioning at all this check does not judge (the unversioned-path finding says it), nor
 * where one writer's increments do not land either (a write-path or merge defect, not a race).
 */
public final class LostUpdateCheck implements Check {
    public static final String RULE = LockDiagnosis.LOST_UPDATE;
    static final String COUNTER = "deltawatch_probe_counter";
    private static final int MAX_ATTEMPTS_PER_INCREMENT = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LockProbeSettings settings;

    public LostUpdateCheck(LockProbeSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "lock.lost-update";
    }

    @Override
    public String family() {
        return "lock";
    }

    /** Tallies of one run, shared by the workers, and where they meet before their first write (null: alone). */
    private static final class Tally {
        final java.util.concurrent.CyclicBarrier firstWrite;
        final AtomicInteger successes = new AtomicInteger();
        final AtomicInteger conflicts = new AtomicInteger();
        final AtomicInteger gaveUp = new AtomicInteger();
        final List<String> otherErrors = java.util.Collections.synchronizedList(new ArrayList<>());

        Tally(int workers) {
            firstWrite = workers > 1 ? new java.util.concurrent.CyclicBarrier(workers) : null;
        }

        /**
         * Every worker has read before any writes its first increment: the race is then certain, not left to the
         * scheduler (a run under load was seen with no two read-modify-writes overlapping, so no lost update to see).
         * Bounded: a write path whose read locks the row keeps the others from reading, and they go on after
         * {@link #MEET_MS}.
         */
        void meetBeforeFirstWrite() throws InterruptedException {
            if (firstWrite == null) {
                return;
            }
            try {
                firstWrite.await(MEET_MS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.BrokenBarrierException | java.util.concurrent.TimeoutException e) {
                // someone could not come (its read waits on a lock): write anyway
            }
        }
    }

    private static final long MEET_MS = 500;

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        try (ProbeFixture f = ProbeFixture.open(context, settings, "lost-update")) {
            WriteProfile profile = WriteProfile.measure(f);
            String key = f.newDocument();
            String alone = aloneIncrementsLand(f, key);
            if (alone != null) {
                return List.of(CheckResult.skipped(RULE, f.subject(), alone));
            }
            WritePath.RowState start = f.read(key);
            Tally tally = new Tally(settings.lostUpdateWorkers());
            ExecutorService pool = Executors.newFixedThreadPool(settings.lostUpdateWorkers());
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < settings.lostUpdateWorkers(); w++) {
                    futures.add(pool.submit(() -> work(f, key, tally)));
                }
                for (Future<?> fut : futures) {
                    fut.get(settings.statementTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            WritePath.RowState end = f.read(key);
            long counter = counter(end.deltaJson());
            int ok = tally.successes.get();
            // A token does not count writes: every reported success counts as applied (LockDiagnosis).
            long rose = profile.token() ? ok : end.version() - start.version();
            if (!tally.otherErrors.isEmpty()) {
                // Neither a pass nor a lost update: the probe could not finish its increments.
                throw new IllegalStateException("read-modify-write writes through " + f.writePath().functionName()
                        + " failed with errors other than the version conflict: " + tally.otherErrors.subList(0,
                        Math.min(5, tally.otherErrors.size())));
            }
            LockDiagnosis.Tally t = LockDiagnosis.readModifyWrite(profile, ok, counter, rose);
            LockDiagnosis.Verdict verdict = LockDiagnosis.lostUpdate(profile, t);
            if (!verdict.judged()) {
                return List.of();
            }
            if (!verdict.failed()) {
                return List.of(CheckResult.pass(RULE, f.subject()));
            }
            String numbers = settings.lostUpdateWorkers() + " workers x " + settings.lostUpdateIncrements()
                    + " increments\nsuccessful writes: " + ok + "\nfinal counter: " + counter + " (lost: " + t.lost()
                    + ")\n" + (profile.token() ? "token before: " + start.versionLabel() + ", after: "
                    + end.versionLabel() : "version rose by: " + rose + " (" + profile.step() + " per write: "
                    + t.applied() + " writes applied)")
                    + "\nreported success without applying: " + t.swallowed()
                    + "\nversion conflicts retried: " + tally.conflicts.get()
                    + "\nincrements given up after " + MAX_ATTEMPTS_PER_INCREMENT + " attempts: " + tally.gaveUp.get();
            return List.of(CheckResult.fail(context.finding(this, RULE, Severity.BLOCKER, f.subject())
                    .title("Lost update: " + t.lost() + " of " + t.applied() + " applied writes lost (counter "
                            + counter + " after " + ok + " successful writes)")
                    .evidence("read-modify-write race", "text", numbers)
                    .evidence("one writer at a time", "text", profile.describe())
                    .problem("Concurrent read-modify-writes through the write path applied (the version counted "
                            + "them) but " + t.lost() + " of their effects are gone: a later write overwrote an "
                            + "earlier one without seeing it."
                            + (profile.sound() ? " One writer at a time the path refuses an outdated version, so "
                            + "the version check and the write are not atomic." : ""))
                    .fix("Bump the version in the same UPDATE that checks it: `SET version = version + 1 ... "
                            + "WHERE key = $1 AND version = $expected`; never update the delta without that predicate.")
                    .reproductionSql("-- in " + settings.lostUpdateWorkers() + " sessions at once, repeatedly:\n"
                            + f.writePath().readSql(key) + "\n"
                            + f.writePath().callSql(key, "{\"" + COUNTER + "\": <counter+1>}", "<version read>"))
                    .build()));
        }
    }

    /**
     * Two increments by one writer, before the race: the counter must then read 2. Where it does not, the write path
     * does not store a changed value even without concurrency (a merge in the write path that keeps the old value,
     * say): a race can only count that as "lost", which would misname a merge or write-path defect that the merge
     * and edge families report. Null when both landed, else why the race is not judged.
     */
    private String aloneIncrementsLand(ProbeFixture f, String key) throws Exception {
        Tally alone = new Tally(1);
        work(f, key, alone, 2);
        long counter = counter(f.read(key).deltaJson());
        if (alone.successes.get() == 2 && counter == 2) {
            return null;
        }
        return "not judged: two increments by one writer through " + f.writePath().functionName() + " left the "
                + "counter at " + counter + " (" + alone.successes.get() + " reported success"
                + (alone.otherErrors.isEmpty() ? "" : ", errors: " + alone.otherErrors) + "), so the path does not "
                + "store a changed value even without concurrency; the merge and edge families report that defect";
    }

    private Void work(ProbeFixture f, String key, Tally tally) throws Exception {
        return work(f, key, tally, settings.lostUpdateIncrements());
    }

    private Void work(ProbeFixture f, String key, Tally tally, int increments) throws Exception {
        for (int i = 0; i < increments; i++) {
            boolean done = false;
            for (int attempt = 0; attempt < MAX_ATTEMPTS_PER_INCREMENT && !done; attempt++) {
                try (ProbeSession s = f.session("rmw")) {
                    s.begin();
                    WritePath.RowState state = f.writePath().read(s.connection(), key);
                    String patch = "{\"" + COUNTER + "\": " + (counter(state.deltaJson()) + 1) + "}";
                    if (i == 0 && attempt == 0) {
                        tally.meetBeforeFirstWrite();
                    }
                    WriteOutcome o = SameVersionRaceCheck.finish(s,
                            f.writePath().write(s.connection(), key, patch, state.expected()));
                    if (o.succeeded()) {
                        tally.successes.incrementAndGet();
                        done = true;
                    } else if (f.writePath().isConflict(o)
                            || "40001".equals(o.sqlState()) || "40P01".equals(o.sqlState())) {
                        tally.conflicts.incrementAndGet();
                    } else {
                        tally.otherErrors.add(o.describe());
                        return null;
                    }
                }
            }
            if (!done) {
                tally.gaveUp.incrementAndGet();
            }
        }
        return null;
    }

    static long counter(String deltaJson) throws Exception {
        if (deltaJson == null) {
            return 0;
        }
        JsonNode n = JSON.readTree(deltaJson).get(COUNTER);
        return n == null || !n.isNumber() ? 0 : n.asLong();
    }
}
