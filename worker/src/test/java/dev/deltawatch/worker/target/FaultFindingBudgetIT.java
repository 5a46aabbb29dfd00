package dev.deltawatch.worker.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.runtime.FaultInjection;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a DBRE reads after one regression: every fault of every example target's catalog, injected on a copy of the
 * seeded target, with the checks of every family run once (the passive version check over the fault's exercise),
 * yields at most {@value #BUDGET} BLOCKER/HIGH findings, and each of them is a rule the fault's header expects (a
 * severe finding of any other rule is a misdiagnosis or a side effect, named in the failure; a timing rule is counted
 * but not judged, see {@link #TIMING_RULES}). The clean targets
 * raise no BLOCKER/HIGH through the same pass. The per-fault counts are printed after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultFindingBudgetIT {
    static final int BUDGET = 5;
    private static final Set<String> FAMILIES = Set.of("merge", "plan", "lock", "edge", "hygiene");
    /** The reference target's size in the measurements; the delta-table targets at their largest Rows:. */
    private static final int REFERENCE_ROWS = 20_000;
    private static final int MIN_ROWS = 10_000;
    /**
     * Rules judged on measured wall time: on this shared two-core machine a budget probe's p95 crosses its budget
     * under load whatever the fault (seen on overrides/edge/01, missed on a rerun of drafts/plan/02). Their findings
     * count toward the budget and show in the table; a fault's header cannot promise them, so they are not
     * "unexpected".
     */
    private static final Set<String> TIMING_RULES = Set.of("latency-budget");

    private final Map<String, PostgresAddress> seeded = new LinkedHashMap<>();
    private final Map<String, String> table = Collections.synchronizedMap(new TreeMap<>());
    /** Milliseconds per check summed over every pass: where the class's wall time goes. */
    private final Map<String, Long> checkMillis = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final long started = System.nanoTime();

    Stream<String> targets() {
        return Stream.of("reference", "drafts", "overrides");
    }

    Stream<Arguments> faults() {
        return targets().flatMap(name -> catalog(name).faults().stream().map(f -> Arguments.of(name, f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void cleanTargetRaisesNoBlockerOrHigh(String name) throws Exception {
        PostgresAddress db = copy(name);
        long start = System.nanoTime();
        List<CheckExecution> runs;
        try (HikariDataSource ds = Database.pool(db, "budget", 8)) {
            runs = FaultInjection.runChecks(ds, ExampleTargets.named(name).config(), FAMILIES);
        } finally {
            drop(db);
        }
        List<Finding> severe = severe(runs);
        time(runs);
        table.put(name + " (clean)", row(severe, runs, (System.nanoTime() - start) / 1_000_000));
        assertThat(severe).as("BLOCKER/HIGH findings on the clean %s target:%n%s", name, describe(severe)).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("faults")
    void everyFaultYieldsAFewSevereFindingsEachOfAnExpectedRule(String name, FaultCatalog.Fault fault)
            throws Exception {
        PostgresAddress db = copy(name);
        FaultInjection.Detection d;
        try {
            d = FaultInjection.runEvery(db, ExampleTargets.named(name).config(), fault, FAMILIES);
        } finally {
            drop(db);
        }
        List<Finding> severe = severe(d.runs());
        time(d.runs());
        Set<String> expected = java.util.stream.Stream.concat(fault.expectations().stream(),
                fault.consequences().stream()).map(FaultCatalog.Expectation::rule).collect(Collectors.toSet());
        List<String> unexpected = severe.stream().map(Finding::rule)
                .filter(r -> !expected.contains(r) && !TIMING_RULES.contains(r)).distinct().toList();
        table.put(name + " " + fault.resource().substring(fault.resource().lastIndexOf('/', fault.resource()
                .lastIndexOf('/') - 1) + 1), row(severe, d.runs(), d.millis())
                + (d.missed().isEmpty() ? "" : " | missed: " + d.missed().stream().map(e -> e.rule() + " @ "
                + e.subject()).toList())
                + (unexpected.isEmpty() ? "" : " | unexpected: " + unexpected));
        assertThat(unexpected).as("%s: BLOCKER/HIGH of rules its header does not expect:%n%s", fault.resource(),
                describe(severe)).isEmpty();
        assertThat(severe).as("%s: BLOCKER/HIGH findings (budget %d):%n%s", fault.resource(), BUDGET,
                describe(severe)).hasSizeLessThanOrEqualTo(BUDGET);
    }

    @AfterAll
    void printTheBudget() {
        StringBuilder out = new StringBuilder("\nBLOCKER/HIGH findings per fault (budget " + BUDGET
                + "), every family run once:\n");
        table.forEach((fault, row) -> out.append(String.format("  %-60s %s%n", fault, row)));
        out.append("time per check, summed over every pass:\n");
        checkMillis.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.append(String.format("  %-40s %7d ms%n", e.getKey(), e.getValue())));
        out.append(String.format("  wall time of the class: %d s%n", (System.nanoTime() - started) / 1_000_000_000));
        System.out.println(out);
    }

    private void time(List<CheckExecution> runs) {
        runs.forEach(r -> checkMillis.merge(r.run().check(), r.run().durationMs(), Long::sum));
    }

    private static FaultCatalog catalog(String name) {
        return name.equals("reference") ? FaultCatalog.load(ReferenceTarget.FAULT_CATALOG)
                : ExampleTargets.named(name).faults();
    }

    private static List<Finding> severe(List<CheckExecution> runs) {
        return runs.stream().flatMap(r -> r.findings().stream())
                .filter(f -> f.severity() == Severity.BLOCKER || f.severity() == Severity.HIGH).toList();
    }

    /** "N  rule xcount, ...  (ms; checks that ended ERROR)". */
    private static String row(List<Finding> severe, List<CheckExecution> runs, long millis) {
        Map<String, Long> byRule = severe.stream().collect(Collectors.groupingBy(Finding::rule, TreeMap::new,
                Collectors.counting()));
        List<String> errors = runs.stream().filter(r -> r.run().error() != null).map(r -> r.run().check()).toList();
        return String.format("%5d  %-70s %6d ms%s", severe.size(), byRule.entrySet().stream()
                .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", ")), millis,
                errors.isEmpty() ? "" : " | ERROR: " + errors);
    }

    /** The first three findings of each rule, then how many more: a flood still shows every rule it holds. */
    private static String describe(List<Finding> findings) {
        Map<String, List<Finding>> byRule = findings.stream().collect(Collectors.groupingBy(Finding::rule,
                TreeMap::new, Collectors.toList()));
        StringBuilder out = new StringBuilder();
        byRule.forEach((rule, all) -> {
            all.stream().limit(3).forEach(f -> out.append("  ").append(f.severity()).append(' ').append(rule)
                    .append(" @ ").append(f.subject()).append(": ").append(f.title()).append('\n'));
            if (all.size() > 3) {
                out.append("  ... and ").append(all.size() - 3).append(" more ").append(rule).append('\n');
            }
        });
        return out.toString();
    }

    /** A copy of the target, installed and seeded once per test class (the largest Rows: its catalog names). */
    private synchronized PostgresAddress copy(String name) throws Exception {
        PostgresAddress template = seeded.get(name);
        if (template == null) {
            ExampleTarget target = ExampleTargets.named(name);
            long rows = name.equals("reference") ? REFERENCE_ROWS : Math.max(MIN_ROWS,
                    catalog(name).faults().stream().mapToLong(FaultCatalog.Fault::minRows).max().orElse(0));
            template = TestInfrastructure.freshDatabase("budget_" + name);
            try (HikariDataSource ds = Database.pool(template, "install", 2)) {
                target.install(ds);
            }
            target.seeder().seed(template, SeedOptions.of((int) rows, 42, true), null, false);
            try (HikariDataSource ds = Database.pool(template, "analyze", 1); Connection c = ds.getConnection();
                 Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
            seeded.put(name, template);
        }
        return TestInfrastructure.copyOf(template, "budget_" + name);
    }

    /** Drops a copy: forty-odd copies of a seeded target would otherwise stay on the shared disk. */
    private static void drop(PostgresAddress copy) throws Exception {
        String name = copy.jdbcUrl().replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        PostgresAddress server = TestInfrastructure.postgres();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            // The name was generated by TestInfrastructure.copyOf from [a-z0-9_]; DROP DATABASE takes no parameters.
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
