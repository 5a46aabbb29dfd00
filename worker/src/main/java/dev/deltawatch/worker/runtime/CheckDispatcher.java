package dev.deltawatch.worker.runtime;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.worker.check.ChangeCheck;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.CheckRunner;
import dev.deltawatch.worker.route.CheckGroup;
import dev.deltawatch.worker.route.FunctionRedefinition;
import dev.deltawatch.worker.route.Work;
import dev.deltawatch.worker.route.WorkDispatcher;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks of each routed group and hands every execution to the outlet (lifecycle + publishing), which
 * returns only once published. Within a call, checks run one after another: the database is the bottleneck, and
 * a predictable order keeps the feed readable. Thread-safe: the validate loop's lanes call it at once, each
 * with groups of its own (so never one check twice at once). A pass over every record running on one lane gives
 * way, between its batches, to the slow groups running on another ({@link SlowChecksFirst}); a pass that a
 * function's redefinition asks for verifies only the records changed since a pass that found every record clean
 * when every function reads as it did then, and is skipped when none changed ({@link RedundantPasses}).
 * A check may split its scope ({@link Check#parts}): each part is published as it completes.
 */
public final class CheckDispatcher implements WorkDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CheckDispatcher.class);

    /** Where executions go: the findings lifecycle and the publishers. Returns once published. */
    @FunctionalInterface
    public interface Outlet {
        void accept(List<Dispatched> executions) throws Exception;
    }

    /**
     * One execution and the commit time of the change that caused it (null for scheduled work).
     *
     * @param everyRecord the run stands for every record, though its scope names some: the others are known clean
     *                    (the findings lifecycle may resolve a group no record shows any more)
     */
    public record Dispatched(CheckExecution execution, Instant changeCommittedAt, boolean everyRecord) {
        public Dispatched(CheckExecution execution, Instant changeCommittedAt) {
            this(execution, changeCommittedAt, false);
        }
    }

    /** Records a check run names at most when it verifies those changed since a clean pass. */
    static final int CHANGED_PART = 10_000;

    private final Map<CheckGroup, List<Check>> checks;
    private final CheckContext baseContext;
    private final CheckContext probeContext;
    private final CheckRunner runner;
    private final Clock clock;
    private final Outlet outlet;
    private final SlowChecksFirst slowChecksFirst = new SlowChecksFirst();
    private final RedundantPasses redundantPasses = new RedundantPasses();
    /** The redefinition's pass running now, which a later one may supersede. */
    private final AtomicReference<SupersedablePass> running = new AtomicReference<>();

    public CheckDispatcher(Map<CheckGroup, List<Check>> checks, CheckContext baseContext, Clock clock, Outlet outlet) {
        this(checks, baseContext, null, clock, outlet);
    }

    /**
     * @param probes the connections of the long probes and samples ({@link CheckGroup#runsLong}); null: those of
     *               {@code baseContext}. Apart, a probe's concurrent sessions never hold back another lane's checks.
     */
    public CheckDispatcher(Map<CheckGroup, List<Check>> checks, CheckContext baseContext, DataSource probes,
                           Clock clock, Outlet outlet) {
        this.checks = Map.copyOf(checks);
        this.baseContext = baseContext.withPassGate(slowChecksFirst);
        this.probeContext = probes == null ? this.baseContext : this.baseContext.withDataSource(probes);
        this.runner = new CheckRunner(clock);
        this.clock = clock;
        this.outlet = outlet;
    }

    /**
     * Publishes each execution as soon as it completes: a finding need not wait for slower checks of its batch.
     *
     * @throws TargetUnavailableException when a check errs because the target database does not answer: such a
     *         run verified nothing, so the work is not published as done and the caller retries it later
     */
    @Override
    public void dispatch(List<Work> work) throws Exception {
        for (Work w : work) {
            if (w.group().slow()) {
                slowChecksFirst.started();
            }
            try {
                dispatch(w);
            } finally {
                if (w.group().slow()) {
                    slowChecksFirst.finished();
                }
            }
        }
    }

    /** What the dispatcher remembered of earlier passes is void ({@link RedundantPasses#reassigned}). */
    @Override
    public void reassigned(boolean everyPartition) {
        redundantPasses.reassigned(everyPartition);
    }

    private void dispatch(Work w) throws Exception {
        CheckContext context = (w.group().runsLong() ? probeContext : baseContext).withTrigger(w.trigger());
        if (w.group() != CheckGroup.MERGE_RECORDS || w.scope().kind() != CheckScope.Kind.ALL) {
            if (w.group() == CheckGroup.MERGE_RECORDS && w.scope().kind() == CheckScope.Kind.RECORDS) {
                redundantPasses.changed(w.scope().ids());
            }
            runChecks(w, context, false);
            return;
        }
        FunctionDefinitions before = redundantPasses.read(context);
        RedundantPasses.Plan plan = redundantPasses.plan(w.trigger(), before);
        if (plan.kind() == RedundantPasses.Plan.Kind.SKIP) {
            LOG.info("[route] pass over every record skipped: after {} every function reads as during a pass that "
                    + "found every record clean, and no record changed since", w.trigger().ddlCommand());
            return;
        }
        SupersedablePass gate = FunctionRedefinition.is(w.trigger()) ? new SupersedablePass(context.passGate()) : null;
        Outcome outcome = new Outcome(false, false);
        try {
            if (gate != null) {
                running.set(gate);
                context = context.withPassGate(gate);
            }
            outcome = runPass(w, context, plan);
        } finally {
            running.compareAndSet(gate, null);
            redundantPasses.completed(plan, before, redundantPasses.read(context), outcome.everyCheckRan(),
                    outcome.clean());
        }
        if (supersededIn(context) && !outcome.everyCheckRan()) {
            LOG.info("[route] pass over every record after {} stopped: a pass asked for since supersedes it",
                    w.trigger().ddlCommand());
        }
    }

    /** The pass as planned: the records changed since a clean pass, or (also when one of those fails) every record. */
    private Outcome runPass(Work w, CheckContext context, RedundantPasses.Plan plan) throws Exception {
        if (plan.kind() == RedundantPasses.Plan.Kind.CHANGED_SINCE_CLEAN) {
            LOG.info("[route] after {} every function reads as during a pass that found every record clean: "
                    + "verifying the {} records changed since instead of every record", w.trigger().ddlCommand(),
                    plan.changed().size());
            Outcome outcome = runChanged(w, context, plan.changed());
            if (outcome != null) {
                return outcome;
            }
            LOG.info("[route] a record changed since the clean pass fails, or none of them is left: verifying every "
                    + "record");
        }
        return runChecks(w, context, false);
    }

    /**
     * A pass over every record now waits for the one running: when that one was asked for by a function's
     * redefinition, it stops at its next batch ({@link SupersedablePass}).
     */
    @Override
    public void passWaiting() {
        SupersedablePass pass = running.get();
        if (pass != null) {
            pass.supersede();
        }
    }

    private static boolean supersededIn(CheckContext context) {
        return context.passGate() instanceof SupersedablePass pass && pass.superseded();
    }

    /**
     * Verifies {@code keys} in parts of {@link #CHANGED_PART} records (a check run names the records it read, and
     * one naming a hundred thousand would not fit a Kafka message). The last part's runs stand for every record
     * (they may resolve what no record shows any more) when every part before it was clean. A part before the last
     * that is not clean stops the rest: returns null, and the caller verifies every record. So does a last part of
     * which no check read anything (every record changed since was deleted): a run with no result covers no rule,
     * so it could not resolve what the passes since found.
     */
    private Outcome runChanged(Work w, CheckContext context, List<String> keys) throws Exception {
        boolean everyCheckRan = true;
        for (int from = 0; from < keys.size(); from += CHANGED_PART) {
            if (supersededIn(context)) {
                return new Outcome(false, false);
            }
            int to = Math.min(keys.size(), from + CHANGED_PART);
            Work part = new Work(CheckGroup.MERGE_RECORDS, CheckScope.records(keys.subList(from, to)), w.trigger(),
                    List.of(), w.changeCommittedAt());
            Outcome o = runChecks(part, context, to == keys.size());
            if (to == keys.size()) {
                return o.readSomething() ? new Outcome(everyCheckRan && o.everyCheckRan(), o.clean()) : null;
            }
            if (!o.clean()) {
                return null;
            }
            everyCheckRan &= o.everyCheckRan();
        }
        throw new IllegalArgumentException("no record to verify");
    }

    /** How a group's runs ended: none erred; none erred or failed; a run read something or erred. */
    private record Outcome(boolean everyCheckRan, boolean clean, boolean readSomething) {
        Outcome(boolean everyCheckRan, boolean clean) {
            this(everyCheckRan, clean, true);
        }
    }

    /**
     * Runs and publishes the group's checks.
     *
     * @param everyRecord the runs stand for every record although they read some (see {@link #runChanged})
     */
    private Outcome runChecks(Work w, CheckContext context, boolean everyRecord) throws Exception {
        boolean everyCheckRan = true;
        boolean clean = true;
        boolean readSomething = false;
        for (Check check : checks.getOrDefault(w.group(), List.of())) {
            if (check instanceof ChangeCheck changeCheck && w.group().needsEvents()) {
                CheckRun.Outcome o = publish(evaluate(changeCheck, context, w), context, w, false);
                everyCheckRan &= o != CheckRun.Outcome.ERROR;
                clean &= o == CheckRun.Outcome.PASSED;
            } else if (!w.group().needsEvents()) {
                for (CheckScope part : parts(check, context, w.scope())) {
                    CheckExecution execution = runner.run(check, context, part);
                    if (execution.run().outcome() == CheckRun.Outcome.ERROR && supersededIn(context)) {
                        return new Outcome(false, false); // no verdict, and none is owed: the next pass gives it
                    }
                    CheckRun.Outcome o = publish(execution, context, w, everyRecord);
                    everyCheckRan &= o != CheckRun.Outcome.ERROR;
                    clean &= o == CheckRun.Outcome.PASSED;
                    readSomething |= !execution.results().isEmpty() || o == CheckRun.Outcome.ERROR;
                }
            }
        }
        return new Outcome(everyCheckRan, clean, readSomething);
    }

    /** Publishes one run; returns its outcome. */
    private CheckRun.Outcome publish(CheckExecution execution, CheckContext context, Work w, boolean everyRecord)
            throws Exception {
        if (execution.run().outcome() == CheckRun.Outcome.ERROR && !databaseAnswers()) {
            throw new TargetUnavailableException(context.targetName(), execution.run().check(),
                    execution.run().error());
        }
        outlet.accept(List.of(new Dispatched(execution, w.changeCommittedAt(), everyRecord)));
        return execution.run().outcome();
    }

    /** The runs {@code check} splits the scope into; the whole scope when it cannot say (that run reports why). */
    private static List<CheckScope> parts(Check check, CheckContext context, CheckScope scope) {
        if (!check.appliesTo(scope)) {
            return List.of(scope);
        }
        try {
            List<CheckScope> parts = check.parts(context, scope);
            return parts.isEmpty() ? List.of(scope) : parts;
        } catch (Exception e) {
            return List.of(scope);
        }
    }

    private boolean databaseAnswers() {
        try (Connection c = baseContext.dataSource().getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private CheckExecution evaluate(ChangeCheck check, CheckContext context, Work w) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        CheckRun.Outcome outcome;
        String error = null;
        List<CheckResult> results = List.of();
        try {
            results = check.evaluate(context, w.events());
            outcome = results.stream().anyMatch(CheckResult::failed) ? CheckRun.Outcome.FAILED : CheckRun.Outcome.PASSED;
        } catch (Exception e) {
            outcome = CheckRun.Outcome.ERROR;
            error = String.valueOf(e.getMessage()).lines().findFirst().orElse("error");
        }
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        int failures = (int) results.stream().filter(CheckResult::failed).count();
        CheckScope scope = w.scope();
        return new CheckExecution(new CheckRun(CheckRun.SCHEMA_VERSION, UUID.randomUUID().toString(), check.family(),
                check.name(), context.targetName(), context.trigger(), scope, outcome, started, ms, failures, error),
                results);
    }
}
