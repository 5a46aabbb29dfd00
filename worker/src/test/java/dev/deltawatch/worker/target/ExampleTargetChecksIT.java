package dev.deltawatch.worker.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.runtime.FaultInjection;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.testing.CliRun;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example target other than the reference one, checked as a user would check their own system: the clean,
 * seeded target raises no BLOCKER or HIGH and no check ends ERROR; each fault of its catalog, applied on a copy of
 * the seeded target, trips the rule its header names on the subject it names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExampleTargetChecksIT {
    /**
     * Families this test covers: the clean run is merge, plan and hygiene, and the faults are those with an
     * expectation of these or of the passive version check (their exercise replayed as change events). The active
     * lock and edge probes have {@code check.lock.ExampleTargetProbesIT}.
     */
    private static final Set<String> FAMILIES = Set.of("merge", "plan", "hygiene");
    private static final String PASSIVE = "lock.version-discipline";
    /** Enough rows for the plan faults to cross the 10K-row sequential-scan threshold. */
    private static final int ROWS = 30_000;

    private final Map<String, PostgresAddress> seeded = new LinkedHashMap<>();

    Stream<String> targets() {
        return Stream.of("drafts", "overrides");
    }

    Stream<Arguments> faults() {
        return targets().flatMap(name -> ExampleTargets.named(name).faults().faults().stream()
                .filter(f -> f.expectations().stream().anyMatch(e -> FAMILIES.contains(e.family())
                        || e.check().equals(PASSIVE)))
                .map(f -> Arguments.of(name, f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void cleanTargetRaisesNoBlockerOrHighAndNoError(String name) throws Exception {
        List<CheckExecution> runs;
        try (HikariDataSource ds = Database.pool(copy(name), "checks", 8)) {
            runs = FaultInjection.runChecks(ds, ExampleTargets.named(name).config(), FAMILIES);
        }
        assertThat(runs).allSatisfy(r -> assertThat(r.run().outcome()).as(r.run().check() + ": " + r.run().error())
                .isNotEqualTo(CheckRun.Outcome.ERROR));
        assertThat(runs.stream().flatMap(r -> r.findings().stream()))
                .filteredOn(f -> f.severity() == Severity.BLOCKER || f.severity() == Severity.HIGH)
                .as("BLOCKER/HIGH findings on the clean %s target", name).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("faults")
    void everyFaultTripsTheRuleItsHeaderNames(String name, FaultCatalog.Fault fault) throws Exception {
        Set<String> families = new java.util.HashSet<>(FAMILIES);
        families.add("lock");
        FaultInjection.Detection d = FaultInjection.run(copy(name), ExampleTargets.named(name).config(), fault,
                families);
        assertThat(d.missed()).as("%s: expectations missed; findings: %s; runs: %s", fault.resource(),
                d.runs().stream().flatMap(r -> r.findings().stream()).map(f -> f.rule() + " @ " + f.subject())
                        .distinct().limit(10).toList(),
                d.runs().stream().map(r -> r.run().check() + " " + r.run().outcome() + " " + r.run().error()).toList())
                .isEmpty();
        assertThat(d.detected()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void checkCommandExitsZeroOnTheCleanTargetAndOneOnAFault(String name, @TempDir Path dir) throws Exception {
        PostgresAddress clean = copy(name);
        CliRun ok = CliRun.run("check", "--config", workerConfig(dir, name, clean).toString(), "--format", "text");
        assertThat(ok.code()).as("all families on the clean %s target: %s%n%s", name, ok.err(), ok.out()).isZero();

        FaultCatalog.Fault merge = ExampleTargets.named(name).faults().faults().stream()
                .filter(f -> f.family().equals("merge")).findFirst().orElseThrow();
        PostgresAddress broken = copy(name);
        try (HikariDataSource ds = Database.pool(broken, "fault", 1); Connection c = ds.getConnection();
             Statement s = c.createStatement()) {
            s.execute(merge.sql());
        }
        CliRun fault = CliRun.run("check", "--config", workerConfig(dir, name, broken).toString(), "--families",
                "merge", "--format", "text");
        assertThat(fault.code()).as("%s: %s", merge.resource(), fault.err()).isEqualTo(1);
        assertThat(fault.out()).containsAnyOf("BLOCKER", "HIGH");
    }

    /** A worker config naming the example target's shipped config and the database. */
    private static Path workerConfig(Path dir, String name, PostgresAddress db) throws Exception {
        Path file = dir.resolve(name + "-" + System.nanoTime() + ".yaml");
        Files.writeString(file, """
                deltawatch:
                  target.file: classpath:%s
                  database:
                    jdbc.url: %s
                    user: %s
                """.formatted(ExampleTargets.named(name).configResource(), db.jdbcUrl(), db.user()));
        return file;
    }

    /** A copy of the target, installed and seeded once per test class. */
    private synchronized PostgresAddress copy(String name) throws Exception {
        PostgresAddress template = seeded.get(name);
        if (template == null) {
            ExampleTarget target = ExampleTargets.named(name);
            template = TestInfrastructure.freshDatabase(name + "_template");
            try (HikariDataSource ds = Database.pool(template, "install", 2)) {
                target.install(ds);
            }
            target.seeder().seed(template, SeedOptions.of(ROWS, 42, true), null, false);
            try (HikariDataSource ds = Database.pool(template, "analyze", 1); Connection c = ds.getConnection();
                 Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
            seeded.put(name, template);
        }
        return TestInfrastructure.copyOf(template, name);
    }
}
