package dev.deltawatch.worker.publish;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.CompactResults;
import dev.deltawatch.worker.findings.DefectGroups;
import dev.deltawatch.worker.findings.FindingLifecycle;
import dev.deltawatch.worker.findings.Observation;
import dev.deltawatch.worker.infra.ClusterLock;
import dev.deltawatch.worker.infra.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Takes finished check runs and turns them into the feed: metrics for every run, a {@code CheckRun} record, and
 * lifecycle transitions for the findings.
 *
 * <p><b>One decider.</b> {@link #record} is synchronized: in one process, the lifecycle is decided by one thread
 * at a time, right after catching up with the compacted topic ({@link FindingStateSource#readNew}), and a
 * transition is acknowledged by the topic before the state changes. So a restarted worker starts from the topic,
 * and a second worker sees every transition acknowledged before its own decision starts: neither announces a
 * finding twice. What this does not cover is two workers deciding the <em>same</em> fingerprint within the same
 * few milliseconds (two partitions' workers can both see a table-level problem): for that, the runtime passes a
 * {@link ClusterLock} shared by all workers of the target (a PostgreSQL advisory lock), held around catch-up,
 * decision and publication.
 *
 * <p>Sinks are called in order; the first (the topic) must succeed before the state is updated, so a failed
 * publish is retried by the next run rather than forgotten.
 */
public final class FindingPublisher {
    private final FindingLifecycle lifecycle;
    private final FindingStateSource stateSource;
    private final List<FindingSink> sinks;
    private final Consumer<CheckRun> checkRuns;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final Map<String, Finding> state = new HashMap<>();
    private final ClusterLock decisions;

    /**
     * @param checkRuns where {@code CheckRun} records go ({@link CheckRunPublisher#publish}); {@code r -> {}} for none
     */
    public FindingPublisher(FindingLifecycle lifecycle, FindingStateSource stateSource, List<FindingSink> sinks,
                            Consumer<CheckRun> checkRuns, WorkerMetrics metrics, Clock clock) {
        this(lifecycle, stateSource, sinks, checkRuns, metrics, clock, ClusterLock.none());
    }

    /**
     * @param decisions held around catch-up, decision and publication, so workers of one target decide one at a
     *                  time ({@link ClusterLock#advisory}); {@link ClusterLock#none()} for a single process
     */
    public FindingPublisher(FindingLifecycle lifecycle, FindingStateSource stateSource, List<FindingSink> sinks,
                            Consumer<CheckRun> checkRuns, WorkerMetrics metrics, Clock clock, ClusterLock decisions) {
        this.decisions = Objects.requireNonNull(decisions, "decisions");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.stateSource = Objects.requireNonNull(stateSource, "stateSource");
        this.sinks = List.copyOf(sinks);
        this.checkRuns = Objects.requireNonNull(checkRuns, "checkRuns");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Reads the compacted topic to its end. Call before the first run so gauges are right from the start. */
    public synchronized void start() {
        catchUp();
    }

    /** Records one finished run; returns the transitions it announced (empty for repeats and passes). */
    public synchronized List<Finding> record(CompletedRun run) {
        Instant finished = run.startedAt().plus(run.duration());
        metrics.checkRun(run.family(), run.check(), run.outcome().name(), run.duration());
        checkRuns.accept(run.toCheckRun());
        if (run.outcome() == CheckRun.Outcome.ERROR) {
            return List.of();   // an incomplete run proves nothing: it neither opens nor resolves
        }
        metrics.checkSucceeded(run.family(), finished);
        try (ClusterLock.Held held = decisions.acquire()) {
            return decide(run, finished);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not take the findings decision lock: " + e.getMessage(), e);
        }
    }

    private List<Finding> decide(CompletedRun run, Instant finished) {
        catchUp();
        FindingLifecycle.Decision decision = lifecycle.decide(state, observations(run, state), run.trigger(),
                finished);
        List<Finding> announced = decision.announcements();
        for (FindingSink sink : sinks) {
            sink.publish(announced);
        }
        for (Finding f : announced) {
            state.put(f.fingerprint(), f);
            metrics.findingTransition(f.family(), f.severity(), f.status().name());
            if (run.changeCommittedAt() != null) {
                metrics.detectionLatency(Duration.between(run.changeCommittedAt(), clock.instant()));
            }
        }
        // Silent repeats (counters only) join the state after every announcement went out.
        state.putAll(decision.changed());
        refreshGauges();
        return announced;
    }

    /** What this process knows of a fingerprint (tests, diagnostics). */
    public synchronized Finding known(String fingerprint) {
        return state.get(fingerprint);
    }

    private void catchUp() {
        Map<String, Finding> fresh = stateSource.readNew();
        if (!fresh.isEmpty()) {
            state.putAll(fresh);
            refreshGauges();
        }
    }

    /** One observation per defect, not per record ({@link DefectGroups}); passes as they are. */
    private static List<Observation> observations(CompletedRun run, Map<String, Finding> known) {
        return DefectGroups.observations(run.family(), run.target(), run.coversAll(),
                CompactResults.grouping(run.results()), known);
    }

    private void refreshGauges() {
        Map<String, Map<Severity, Long>> counts = new HashMap<>();
        for (Finding f : state.values()) {
            if (FindingLifecycle.isOpen(f)) {
                counts.computeIfAbsent(f.family(), k -> new EnumMap<>(Severity.class)).merge(f.severity(), 1L,
                        Long::sum);
            }
        }
        metrics.openFindings(counts);
    }
}
