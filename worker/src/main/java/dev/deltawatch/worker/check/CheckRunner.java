package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one check on one scope and records the run. A check that throws yields an ERROR run whose {@code error}
 * is one line (SQLSTATE and message for database errors), never a stack trace and never a finding: a database
 * outage must not look like a regression.
 */
public final class CheckRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CheckRunner.class);

    private final Clock clock;

    public CheckRunner(Clock clock) {
        this.clock = clock;
    }

    public CheckExecution run(Check check, CheckContext context, CheckScope scope) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        if (!check.appliesTo(scope)) {
            return new CheckExecution(record(check, context, scope, CheckRun.Outcome.SKIPPED, started, 0, 0,
                    "not applicable to scope " + scope.kind()), List.of());
        }
        try {
            List<CheckResult> results = check.run(context, scope);
            long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            int failures = CompactResults.failures(results);
            CheckRun.Outcome outcome = failures > 0 ? CheckRun.Outcome.FAILED : CheckRun.Outcome.PASSED;
            return new CheckExecution(record(check, context, scope, outcome, started, ms, failures, null), results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(check, context, scope, started, t0, "interrupted");
        } catch (PassGate.Superseded e) {
            // Not a failure to run: the dispatcher drops this run, and a later pass gives the verdict.
            return error(check, context, scope, started, t0, e.getMessage());
        } catch (Exception e) {
            String reason = describe(e);
            LOG.warn("[{}] could not complete: {}", check.name(), reason);
            return error(check, context, scope, started, t0, reason);
        }
    }

    private CheckExecution error(Check check, CheckContext context, CheckScope scope, Instant started, long t0,
                                 String reason) {
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        return new CheckExecution(record(check, context, scope, CheckRun.Outcome.ERROR, started, ms, 0, reason),
                List.of());
    }

    private static CheckRun record(Check check, CheckContext context, CheckScope scope, CheckRun.Outcome outcome,
                                   Instant started, long ms, int findings, String error) {
        return new CheckRun(CheckRun.SCHEMA_VERSION, UUID.randomUUID().toString(), check.family(), check.name(),
                context.targetName(), context.trigger(), scope, outcome, started, ms, findings, error);
    }

    /** One line: SQLSTATE and message for database errors, the exception's message otherwise. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof SQLException)) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        String first = message.lines().findFirst().orElse(message);
        return t instanceof SQLException sql ? "SQLSTATE " + sql.getSQLState() + ": " + first : first;
    }
}
