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
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks of each routed group and hands every execution to the outlet (lifecycle + publishing), which
 * returns only once published. Within a call, checks run one after another: the database is the bottleneck, and
 * a predictable order keeps the feed readable. Thread-safe: the validate loop's lanes call it at once, each
 * with groups of its own (so never one check twice at once). A pass over every record running on one lane gives
 * way, between its batches, to the slow groups running on another ({@link SlowChecksFirst}); a pass that a
 * function's redefinition asks for is skipped when it would repeat the last one ({@link RedundantPasses}). A check
 * may split its scope ({@link Check#parts}): each part is published as it completes.
 */
public final class CheckDispatcher implements WorkDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CheckDispatcher.class);

    /** Where executions go: the findings lifecycle and the publishers. Returns once published. */
    @FunctionalInterface
    public interface Outlet {
        void accept(List<Dispatched> executions) throws Exception;
    }

    /** One execution and the commit time of the change that caused it (null for scheduled work). */
    public record Dispatched(CheckExecution execution, Instant changeCommittedAt) {}

    private final Map<CheckGroup, List<Check>> checks;
    private final CheckContext baseContext;
    private final CheckContext probeContext;
    private final CheckRunner runner;
    private final Clock clock;
    private final Outlet outlet;
    private final SlowChecksFirst slowChecksFirst = new SlowChecksFirst();
    private final RedundantPasses redundantPasses = new RedundantPasses();

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

    private void dispatch(Work w) throws Exception {
        CheckContext context = (w.group().runsLong() ? probeContext : baseContext).withTrigger(w.trigger());
        if (w.group() != CheckGroup.MERGE_RECORDS || w.scope().kind() != CheckScope.Kind.ALL) {
            runChecks(w, context);
            return;
        }
        FunctionDefinitions before = redundantPasses.read(context);
        if (redundantPasses.redundant(w.trigger(), before)) {
            LOG.info("[route] pass over every record skipped: after {} every function reads as during the last "
                    + "complete pass, and every record changed since was verified", w.trigger().ddlCommand());
            return;
        }
        boolean everyCheckRan = runChecks(w, context);
        redundantPasses.completed(before, redundantPasses.read(context), everyCheckRan);
    }

    /** Runs and publishes the group's checks; returns whether none of them erred. */
    private boolean runChecks(Work w, CheckContext context) throws Exception {
        boolean everyCheckRan = true;
        for (Check check : checks.getOrDefault(w.group(), List.of())) {
            if (check instanceof ChangeCheck changeCheck && w.group().needsEvents()) {
                everyCheckRan &= publish(evaluate(changeCheck, context, w), context, w);
            } else if (!w.group().needsEvents()) {
                for (CheckScope part : parts(check, context, w.scope())) {
                    everyCheckRan &= publish(runner.run(check, context, part), context, w);
                }
            }
        }
        return everyCheckRan;
    }

    /** Publishes one run; returns whether it completed (not ERROR). */
    private boolean publish(CheckExecution execution, CheckContext context, Work w) throws Exception {
        if (execution.run().outcome() == CheckRun.Outcome.ERROR && !databaseAnswers()) {
            throw new TargetUnavailableException(context.targetName(), execution.run().check(),
                    execution.run().error());
        }
        outlet.accept(List.of(new Dispatched(execution, w.changeCommittedAt())));
        return execution.run().outcome() != CheckRun.Outcome.ERROR;
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
