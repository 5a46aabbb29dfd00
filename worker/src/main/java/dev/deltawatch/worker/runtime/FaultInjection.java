package dev.deltawatch.worker.runtime;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.ChangeCheck;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.check.CheckRegistry;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.CheckRunner;
import dev.deltawatch.worker.check.Checks;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.FaultCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One fault of an example target's catalog, proven: applied to a database that holds the clean, seeded target, its
 * exercise SQL replayed as change events for the passive checks ({@link ExerciseReplay}), then every check of the
 * families its expectations name runs once, and each expectation is met or missed by the findings of its check. The
 * database is left faulty: callers use a copy.
 */
public final class FaultInjection {

    /** What the checks made of one fault; {@code runs} are the check runs, for evidence when an expectation is missed. */
    public record Detection(FaultCatalog.Fault fault, List<FaultCatalog.Expectation> met,
                            List<FaultCatalog.Expectation> missed, List<CheckExecution> runs, long millis) {
        public boolean detected() {
            return missed.isEmpty() && !met.isEmpty();
        }
    }

    /**
     * The connection-pooling sample's window: a fault never changes the client's connection churn, so a short sample
     * (as the one-shot {@code check} takes) is enough and keeps one fault's pass quick.
     */
    private static final Duration POOLING_WINDOW = Duration.ofSeconds(1);
    private static final Pattern EXPECT_ERROR = Pattern.compile("(?m)^--\\s*expect-error.*$");

    private FaultInjection() {}

    /** Injects {@code fault} into {@code db} and judges the expectations of the given families (others are ignored). */
    public static Detection run(PostgresAddress db, TargetConfig config, FaultCatalog.Fault fault, Set<String> families)
            throws Exception {
        Set<String> needed = new LinkedHashSet<>();
        fault.expectations().stream().filter(e -> families.contains(e.family())).forEach(e -> needed.add(e.family()));
        return inject(db, config, fault, families, needed);
    }

    /**
     * Injects {@code fault} into {@code db} and runs every check of {@code families}, whether or not an expectation
     * names it: what a user's {@code check} of those families reports on the fault (its runs hold every finding).
     */
    public static Detection runEvery(PostgresAddress db, TargetConfig config, FaultCatalog.Fault fault,
                                     Set<String> families) throws Exception {
        return inject(db, config, fault, families, families);
    }

    private static Detection inject(PostgresAddress db, TargetConfig config, FaultCatalog.Fault fault,
                                    Set<String> judged, Set<String> run) throws Exception {
        long start = System.nanoTime();
        List<FaultCatalog.Expectation> expected = fault.expectations().stream()
                .filter(e -> judged.contains(e.family())).toList();
        try (HikariDataSource ds = Database.pool(db, "deltawatch-fault", 8)) {
            try (Connection c = ds.getConnection()) {
                apply(c, fault);
            }
            ResolvedTarget target = resolve(ds, config);
            List<ChangeEvent> changes;
            try (Connection c = ds.getConnection()) {
                changes = fault.exercise().isEmpty() ? List.of() : ExerciseReplay.run(c, target, fault.exercise());
            }
            List<CheckExecution> runs = runChecks(ds, target, run, changes);
            List<FaultCatalog.Expectation> met = new ArrayList<>();
            List<FaultCatalog.Expectation> missed = new ArrayList<>();
            for (FaultCatalog.Expectation e : expected) {
                // The feed's findings (one per defect) and each failing result they group: an expectation names a
                // subject (a query, a record) that a group of several such subjects stands for.
                List<Finding> findings = runs.stream().filter(r -> r.run().check().equals(e.check()))
                        .flatMap(r -> java.util.stream.Stream.concat(r.findings().stream(), r.results().stream()
                                .filter(CheckResult::failed).map(CheckResult::finding))).toList();
                (e.metBy(findings) ? met : missed).add(e);
            }
            return new Detection(fault, met, missed, runs, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Every check of {@code families} once over everything, in registration order (passive ones see no change). */
    public static List<CheckExecution> runChecks(HikariDataSource ds, TargetConfig config, Set<String> families)
            throws Exception {
        return runChecks(ds, resolve(ds, config), families, List.of());
    }

    /**
     * Every check of {@code families} once over everything; a passive check (one that judges captured changes) is
     * handed {@code changes} instead.
     */
    static List<CheckExecution> runChecks(HikariDataSource ds, ResolvedTarget target, Set<String> families,
                                          List<ChangeEvent> changes) {
        CheckContext context = new CheckContext(target, ds, Clock.systemUTC(), null, null, null);
        CheckRunner runner = new CheckRunner(Clock.systemUTC());
        List<CheckExecution> out = new ArrayList<>();
        try (CheckRegistry registry = Checks.forOneShot(families, POOLING_WINDOW)) {
            for (Check check : registry.all()) {
                Check run = check instanceof ChangeCheck passive ? new Replayed(passive, changes) : check;
                if (run.appliesTo(CheckScope.all())) {
                    out.add(runner.run(run, context, CheckScope.all()));
                }
            }
        }
        return out;
    }

    /**
     * Runs the fault's SQL in one statement batch, except that a statement after a {@code -- expect-error} line runs
     * on its own in autocommit and may fail: that failure is the fault (the invalid index a failed
     * {@code CREATE INDEX CONCURRENTLY} leaves behind, which cannot run inside a batch's transaction anyway).
     */
    static void apply(Connection c, FaultCatalog.Fault fault) throws SQLException {
        String[] parts = EXPECT_ERROR.split(fault.sql());
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            executeIfAny(s, parts[0]);
            for (int i = 1; i < parts.length; i++) {
                int end = parts[i].indexOf(';');
                String failing = end < 0 ? parts[i] : parts[i].substring(0, end + 1);
                try {
                    s.execute(failing);
                } catch (SQLException expected) {
                    // The failure the fault exists for; anything after it still runs.
                }
                executeIfAny(s, end < 0 ? "" : parts[i].substring(end + 1));
            }
        }
    }

    private static void executeIfAny(Statement s, String sql) throws SQLException {
        if (!sql.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
            s.execute(sql);
        }
    }

    private static ResolvedTarget resolve(HikariDataSource ds, TargetConfig config) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return TargetCatalog.resolve(c, config);
        }
    }

    /** A passive check run over a fixed list of changes, so the runner records it like any other check. */
    private record Replayed(ChangeCheck check, List<ChangeEvent> changes) implements Check {
        @Override
        public String name() {
            return check.name();
        }

        @Override
        public String family() {
            return check.family();
        }

        @Override
        public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
            return check.evaluate(context, changes);
        }
    }
}
