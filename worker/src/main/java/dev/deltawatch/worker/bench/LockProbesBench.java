package dev.deltawatch.worker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.check.lock.DeadlockCheck;
import dev.deltawatch.worker.check.lock.IsolationMatrixCheck;
import dev.deltawatch.worker.check.lock.LockProbeSettings;
import dev.deltawatch.worker.check.lock.LostUpdateCheck;
import dev.deltawatch.worker.check.lock.SameVersionRaceCheck;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.Infrastructure;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code deltawatch bench lock-probes}: runs the lock probes on a fresh reference target and prints one JSON line:
 * the deadlock probe's time to detection (p50 and max over the runs) against deadlock_timeout, and the wall time of
 * the race, the N-way lost-update probe and the isolation matrix, with the number of findings (0 on the clean target).
 */
@Command(name = "lock-probes", mixinStandardHelpOptions = true,
        description = "Lock probes on a fresh reference target: deadlock time to detection and probe durations.")
public final class LockProbesBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--runs", defaultValue = "5", description = "Deadlock probe runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--workers", defaultValue = "16", description = "Lost-update workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--increments", defaultValue = "5", description = "Increments per worker (default: ${DEFAULT-VALUE}).")
    int increments;

    @Override
    public Integer call() throws Exception {
        LockProbeSettings settings = LockProbeSettings.defaults().withLostUpdate(workers, increments);
        String name = "bench_lock_probes_" + ProcessHandle.current().pid();
        try (Infrastructure infra = Infrastructure.resolvePostgresOnly()) {
            PostgresAddress db = Database.createDatabase(infra.postgres(), name);
            try (HikariDataSource ds = Database.pool(db, "bench-lock", workers + 4)) {
                ReferenceTarget.install(ds);
                CheckContext context;
                try (Connection c = ds.getConnection()) {
                    context = new CheckContext(TargetCatalog.resolve(c, ReferenceTarget.config()), ds,
                            Clock.systemUTC(), null, null, null);
                }
                spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(
                        measure(context, settings)));
            } finally {
                drop(infra.postgres(), name);
            }
        }
        return 0;
    }

    private Map<String, Object> measure(CheckContext context, LockProbeSettings settings) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        int findings = 0;
        List<Long> detections = new ArrayList<>();
        DeadlockCheck deadlock = new DeadlockCheck(settings);
        for (int i = 0; i < runs; i++) {
            findings += failures(deadlock.run(context, CheckScope.all()));
            if (deadlock.lastDetectionMillis() != null) {
                detections.add(deadlock.lastDetectionMillis());
            }
        }
        Collections.sort(detections);
        out.put("deadlock_timeout_ms", settings.deadlockTimeout().toMillis());
        out.put("deadlock_runs", runs);
        out.put("deadlock_detection_ms_p50", detections.isEmpty() ? null : detections.get(detections.size() / 2));
        out.put("deadlock_detection_ms_max", detections.isEmpty() ? null : detections.get(detections.size() - 1));
        long[] race = timed(new SameVersionRaceCheck(settings), context);
        long[] lost = timed(new LostUpdateCheck(settings), context);
        long[] matrix = timed(new IsolationMatrixCheck(settings), context);
        out.put("race_probe_ms", race[0]);
        out.put("lost_update_probe_ms", lost[0]);
        out.put("lost_update_writes", (long) workers * increments);
        out.put("isolation_matrix_ms", matrix[0]);
        out.put("findings", findings + race[1] + lost[1] + matrix[1]);
        return out;
    }

    private static long[] timed(Check check, CheckContext context) throws Exception {
        long t0 = System.nanoTime();
        int failed = failures(check.run(context, CheckScope.all()));
        return new long[] {(System.nanoTime() - t0) / 1_000_000, failed};
    }

    private static int failures(List<CheckResult> results) {
        return (int) results.stream().filter(CheckResult::failed).count();
    }

    private static void drop(PostgresAddress server, String name) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            // The name is built above from a fixed prefix and a pid: a plain identifier.
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (Exception e) {
            // Best effort: an embedded server is discarded anyway.
        }
    }
}
