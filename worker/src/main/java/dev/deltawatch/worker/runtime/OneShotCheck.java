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
 * {@link CheckReport}. A {@link SamplingCheck} (the connection-pooling check watches sessions for 10 s, asleep most
 * of the time) starts first on a thread of its own and runs alongside the others, so the pass takes as long as the
 * slower of the two lanes instead of their sum; the report keeps registration order either way.
 */
public final class OneShotCheck {
    /** Where and how to run: timeouts apply to every statement a check runs. */
    public record Settings(PostgresAddress address, int poolSize, Duration statementTimeout, Duration lockTimeout) {}

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
        try (HikariDataSource ds = Database.pool(settings.address(), "check", settings.poolSize());
             CheckRegistry registry = Checks.forFamilies(families)) {
            ResolvedTarget resolved;
            try (Connection c = ds.getConnection()) {
                resolved = TargetCatalog.resolve(c, target);
            }
            CheckContext context = new CheckContext(resolved, ds, clock, Trigger.manual(),
                    settings.statementTimeout(), settings.lockTimeout());
            List<CheckExecution> executions = runAll(registry.all(), context);
            Map<String, String> appendix = new LinkedHashMap<>();
            for (Check check : registry.all()) {
                if (check instanceof IsolationMatrixCheck matrix && matrix.lastMatrix() != null) {
                    appendix.put("Isolation matrix (observed on probe tables)", matrix.lastMatrix().toMarkdownTable());
                }
            }
            return new CheckReport(target.name(), clock.instant(), executions, appendix);
        }
    }

    private List<CheckExecution> runAll(List<Check> checks, CheckContext context) throws InterruptedException {
        CheckRunner runner = new CheckRunner(clock);
        Map<Check, Future<CheckExecution>> sampling = new LinkedHashMap<>();
        ExecutorService lane = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "deltawatch-check-sampling");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Check check : checks) {
                if (check instanceof SamplingCheck) {
                    sampling.put(check, lane.submit(() -> runner.run(check, context, CheckScope.all())));
                }
            }
            Map<Check, CheckExecution> done = new LinkedHashMap<>();
            for (Check check : checks) {
                if (!sampling.containsKey(check)) {
                    done.put(check, runner.run(check, context, CheckScope.all()));
                }
            }
            for (Map.Entry<Check, Future<CheckExecution>> e : sampling.entrySet()) {
                done.put(e.getKey(), await(e.getValue()));
            }
            return checks.stream().map(done::get).toList();
        } finally {
            lane.shutdownNow();
        }
    }

    private static CheckExecution await(Future<CheckExecution> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            // CheckRunner turns every exception of a check into an ERROR run; only an Error gets here.
            throw new IllegalStateException("sampling check failed: " + e.getCause(), e.getCause());
        }
    }
}
