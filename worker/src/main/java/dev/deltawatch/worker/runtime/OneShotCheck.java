package dev.deltawatch.worker.runtime;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.check.CheckRegistry;
import dev.deltawatch.worker.check.CheckRunner;
import dev.deltawatch.worker.check.Checks;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.SamplingCheck;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.check.lock.IsolationMatrixCheck;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.publish.report.CheckReport;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One pass of every selected check over the whole target, as {@code deltawatch check} runs it: the target is
 * resolved against the catalog, each check runs once on scope ALL in registration order, and the runs become a
 * {@link CheckReport}. Checks that mostly wait run alongside the others rather than in line: a
 * {@link SamplingCheck} (the connection-pooling check watches sessions for a window, asleep most of the time) and
 * the lock and edge probes, so the pass takes as long as its slowest lane instead of the sum; the report keeps
 * registration order either way.
 */
public final class OneShotCheck {
    /**
     * The connection-pooling sample of a one-shot pass (the worker takes 10 s): 5 s fit inside the other lanes of
     * a pass on a 20K-record target, and a client connecting per request shows within seconds.
     */
    public static final long DEFAULT_POOLING_WINDOW_MS = 5_000;

    /**
     * Where and how to run: timeouts apply to every statement a check runs; {@code poolingWindow} is how long the
     * connection-pooling check watches sessions.
     */
    public record Settings(PostgresAddress address, int poolSize, Duration statementTimeout, Duration lockTimeout,
                           Duration poolingWindow) {}

    /** Families whose checks exercise the write path on probe rows: see {@link #runAll}. */
    private static final Set<String> PROBE_FAMILIES = Set.of("lock", "edge");
    /**
     * Families whose verdicts rest on how long statements take (latency budgets, the full-scan probe): see
     * {@link #runAll}.
     */
    private static final Set<String> TIMED_FAMILIES = Set.of("plan");
    private static final String INLINE = "reads";
    private static final String ALONE = "timed";

    private final Clock clock;

    public OneShotCheck(Clock clock) {
        this.clock = clock;
    }

    /**
     * Runs the checks of {@code families}. Throws only when the pass cannot start (database unreachable, target
     * config does not match the catalog); a check that fails while running is an ERROR run in the report.
     */
    public CheckReport run(TargetConfig target, Set<String> families, Settings settings)
            throws SQLException, InterruptedException {
        return run(target, families, settings, null);
    }

    /**
     * As {@link #run(TargetConfig, Set, Settings)}, showing each check's start and end and each full pass's progress
     * on {@code progress} (null: silent).
     */
    public CheckReport run(TargetConfig target, Set<String> families, Settings settings, CheckProgressPrinter progress)
            throws SQLException, InterruptedException {
        try (HikariDataSource ds = Database.pool(settings.address(), "check", settings.poolSize());
             CheckRegistry registry = Checks.forOneShot(families, settings.poolingWindow())) {
            ResolvedTarget resolved;
            try (Connection c = ds.getConnection()) {
                resolved = TargetCatalog.resolve(c, target);
            }
            CheckContext context = new CheckContext(resolved, ds, clock, Trigger.manual(),
                    settings.statementTimeout(), settings.lockTimeout()).withProgress(progress);
            List<CheckExecution> executions = runAll(registry.all(), context, progress);
            Map<String, String> appendix = new LinkedHashMap<>();
            for (Check check : registry.all()) {
                if (check instanceof IsolationMatrixCheck matrix && matrix.lastMatrix() != null) {
                    appendix.put("Isolation matrix (observed on probe tables)", matrix.lastMatrix().toMarkdownTable());
                }
            }
            return new CheckReport(target.name(), clock.instant(), executions, appendix);
        }
    }

    /**
     * Three lanes, each running its checks in registration order: the sampling checks; the probe families (lock,
     * edge), which write only probe rows and spend their time on barriers, lock waits and sleeps; and everything
     * else (merge, hygiene, plan: reads, and the CPU the pass needs) on the calling thread. Only the last competes
     * for CPU, so the lanes add little to each other's durations: a probe's verdict rests on what PostgreSQL
     * did (who won, which SQLSTATE, {@code wait_event_type = 'Lock'}), not on how long it took within its slack.
     * The timed families (plan) run last, alone, once every other lane has ended: their verdicts are durations, and
     * a budget exceeded because our own merge scan or probes shared the cores would be a false finding (the
     * full-scan probe at 1M records took 19 s alone and was cancelled at 30 s beside the merge scans).
     */
    private List<CheckExecution> runAll(List<Check> checks, CheckContext context, CheckProgressPrinter progress)
            throws InterruptedException {
        CheckRunner runner = new CheckRunner(clock);
        Map<String, List<Check>> lanes = new LinkedHashMap<>();
        for (Check check : checks) {
            lanes.computeIfAbsent(lane(check), k -> new ArrayList<>()).add(check);
        }
        List<Check> inline = lanes.getOrDefault(INLINE, List.of());
        List<Check> alone = lanes.getOrDefault(ALONE, List.of());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, lanes.size()), r -> {
            Thread t = new Thread(r, "deltawatch-check-lane");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<CheckExecution>>> alongside = new ArrayList<>();
            for (Map.Entry<String, List<Check>> lane : lanes.entrySet()) {
                if (!lane.getKey().equals(INLINE) && !lane.getKey().equals(ALONE)) {
                    alongside.add(pool.submit(() -> runLane(runner, lane.getValue(), context, progress)));
                }
            }
            Map<Check, CheckExecution> done = new LinkedHashMap<>();
            List<CheckExecution> mine = runLane(runner, inline, context, progress);
            for (int i = 0; i < inline.size(); i++) {
                done.put(inline.get(i), mine.get(i));
            }
            int f = 0;
            for (Map.Entry<String, List<Check>> lane : lanes.entrySet()) {
                if (!lane.getKey().equals(INLINE) && !lane.getKey().equals(ALONE)) {
                    List<CheckExecution> theirs = await(alongside.get(f++));
                    for (int i = 0; i < lane.getValue().size(); i++) {
                        done.put(lane.getValue().get(i), theirs.get(i));
                    }
                }
            }
            // Every other lane has ended: nothing of ours competes with what is timed now.
            List<CheckExecution> timed = runLane(runner, alone, context, progress);
            for (int i = 0; i < alone.size(); i++) {
                done.put(alone.get(i), timed.get(i));
            }
            return checks.stream().map(done::get).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private static String lane(Check check) {
        if (check instanceof SamplingCheck) {
            return "sampling";
        }
        if (TIMED_FAMILIES.contains(check.family())) {
            return ALONE;
        }
        return PROBE_FAMILIES.contains(check.family()) ? "probes" : INLINE;
    }

    private static List<CheckExecution> runLane(CheckRunner runner, List<Check> lane, CheckContext context,
                                                CheckProgressPrinter progress) {
        List<CheckExecution> out = new ArrayList<>();
        for (Check check : lane) {
            if (progress != null) {
                progress.started(check.name());
            }
            CheckExecution execution = runner.run(check, context, CheckScope.all());
            if (progress != null) {
                progress.finished(execution.run());
            }
            out.add(execution);
        }
        return out;
    }

    private static List<CheckExecution> await(Future<List<CheckExecution>> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            // CheckRunner turns every exception of a check into an ERROR run; only an Error gets here.
            throw new IllegalStateException("check lane failed: " + e.getCause(), e.getCause());
        }
    }
}
