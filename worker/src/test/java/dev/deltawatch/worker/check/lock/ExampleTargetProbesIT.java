package dev.deltawatch.worker.check.lock;

import static dev.deltawatch.worker.check.lock.LockTestSupport.count;
import static dev.deltawatch.worker.check.lock.LockTestSupport.fastSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.check.CheckRunner;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.check.edge.WritePathEdgeCasesCheck;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.FaultCatalog;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lock and edge probes on the delta-table example targets (drafts: owner layout, text key, statement write path,
 * integer version; overrides: no owner, uuid key, token version, write function with its own argument order), each
 * seeded with a few thousand rows: the clean target raises nothing severe, runs no ERROR and leaves nothing behind
 * (drafts: no row ever written into the read-only mirror table); every lock/edge fault of the catalogs trips the rule
 * its header expects on the subject it names; a write path configured wrong ends as ERROR naming the field.
 */
class ExampleTargetProbesIT {
    /** The active checks whose expectations a fault header can name; passive ones need capture. */
    private static final Set<String> ACTIVE = Set.of("lock.same-version-race", "lock.stale-write",
            "lock.lost-update", "lock.deadlock", "edge.write-path");
    private static final Map<String, PostgresAddress> SEEDED = new HashMap<>();
    private static final AtomicInteger COPIES = new AtomicInteger();

    private final LockProbeSettings settings = fastSettings();
    private HikariDataSource ds;

    @AfterEach
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    private static List<Check> checks(LockProbeSettings settings) {
        return List.of(new SameVersionRaceCheck(settings), new StaleWriteCheck(settings), new LostUpdateCheck(settings),
                new DeadlockCheck(settings), new WritePathEdgeCasesCheck(settings));
    }

    /** A copy of the target seeded once with 3,000 records (CREATE DATABASE ... TEMPLATE: a fresh copy per test). */
    private HikariDataSource copyOf(ExampleTarget target) throws Exception {
        PostgresAddress template;
        synchronized (SEEDED) {
            template = SEEDED.get(target.name());
            if (template == null) {
                template = TestInfrastructure.freshDatabase("probes_" + target.name());
                target.seeder().seed(template, SeedOptions.of(3_000, 7, true), null, false);
                SEEDED.put(target.name(), template);
            }
        }
        String source = template.jdbcUrl().substring(template.jdbcUrl().lastIndexOf('/') + 1).split("\\?")[0];
        String copy = "pcopy_" + target.name() + "_" + COPIES.incrementAndGet() + "_" + ProcessHandle.current().pid();
        PostgresAddress server = TestInfrastructure.postgres();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            // Names are generated above from [a-z0-9_]; CREATE DATABASE takes no parameters.
            s.execute("CREATE DATABASE " + copy + " TEMPLATE " + source);
        }
        ds = Database.pool(template.withDatabase(copy), "test", 8);
        return ds;
    }

    private static CheckContext context(HikariDataSource ds, TargetConfig config) throws Exception {
        try (Connection c = ds.getConnection()) {
            return new CheckContext(TargetCatalog.resolve(c, config), ds, Clock.systemUTC(), null, null, null);
        }
    }

    private List<CheckExecution> runAll(CheckContext context) {
        CheckRunner runner = new CheckRunner(Clock.systemUTC());
        List<CheckExecution> out = new ArrayList<>();
        for (Check check : checks(settings)) {
            out.add(runner.run(check, context, CheckScope.all()));
        }
        return out;
    }

    private static List<Finding> findings(List<CheckExecution> runs) {
        return runs.stream().flatMap(r -> r.findings().stream()).toList();
    }

    /** Rows of the layout's tables, and probe leftovers (probe-owner drafts, probe pages and their source row). */
    private static Map<String, Long> footprint(HikariDataSource ds, ExampleTarget target) throws Exception {
        Map<String, Long> out = new HashMap<>();
        List<String> counts = target == ExampleTargets.DRAFTS
                ? List.of("SELECT count(*) FROM catalog_items", "SELECT count(*) FROM item_drafts",
                "SELECT count(*) FROM item_drafts WHERE author_id = '__deltawatch_probe__'")
                : List.of("SELECT count(*) FROM content_pages", "SELECT count(*) FROM content_overrides",
                "SELECT count(*) FROM content_pages WHERE source = '__deltawatch_probe__'",
                "SELECT count(*) FROM content_sources WHERE name = '__deltawatch_probe__'");
        try (Connection c = ds.getConnection()) {
            for (String sql : counts) {
                out.put(sql, count(c, sql));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"drafts", "overrides"})
    void cleanTargetRaisesNothingSevereRunsNoErrorAndLeavesNothingBehind(String name) throws Exception {
        ExampleTarget target = ExampleTargets.named(name);
        HikariDataSource db = copyOf(target);
        if (target == ExampleTargets.DRAFTS) {
            // The mirror is read-only (only the PIM sync writes it): any probe write into it fails, and shows as ERROR.
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE FUNCTION refuse_mirror_write() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN RAISE EXCEPTION 'catalog_items is read-only'; END $$");
                s.execute("CREATE TRIGGER catalog_items_read_only BEFORE INSERT OR UPDATE OR DELETE ON catalog_items "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION refuse_mirror_write()");
            }
        }
        Map<String, Long> before = footprint(db, target);
        List<CheckExecution> runs = runAll(context(db, target.config()));
        assertThat(runs).extracting(r -> r.run().check() + " " + r.run().outcome() + " " + r.run().error())
                .allSatisfy(line -> assertThat(line).doesNotContain("ERROR"));
        assertThat(runs).allSatisfy(r -> assertThat(r.results()).as(r.run().check() + " judged something")
                .isNotEmpty());
        // Not only no BLOCKER/HIGH: the clean targets raise nothing at all through these checks.
        assertThat(findings(runs)).as("findings on the clean target").isEmpty();
        // Before and after are equal: the mirror table was never written, and every probe delta/page is gone.
        assertThat(footprint(db, target)).isEqualTo(before);
        LockTestSupport.assertNoProbeActivityLeft(db);
    }

    static Stream<Arguments> activeFaults() {
        List<Arguments> out = new ArrayList<>();
        for (ExampleTarget target : List.of(ExampleTargets.DRAFTS, ExampleTargets.OVERRIDES)) {
            for (FaultCatalog.Fault fault : target.faults().faults()) {
                if (fault.expectations().stream().anyMatch(e -> ACTIVE.contains(e.check()))) {
                    out.add(Arguments.of(target.name(), fault.resource()));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("activeFaults")
    void everyLockAndEdgeFaultTripsTheExpectedRuleOnTheExpectedSubject(String name, String resource) throws Exception {
        ExampleTarget target = ExampleTargets.named(name);
        FaultCatalog.Fault fault = target.faults().faults().stream().filter(f -> f.resource().equals(resource))
                .findFirst().orElseThrow();
        HikariDataSource db = copyOf(target);
        Map<String, Long> before = footprint(db, target);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(fault.sql());
        }
        List<CheckExecution> runs = runAll(context(db, target.config()));
        assertThat(runs).extracting(r -> r.run().check() + " " + r.run().outcome() + " " + r.run().error())
                .allSatisfy(line -> assertThat(line).doesNotContain("ERROR"));
        List<String> found = findings(runs).stream()
                .map(f -> f.rule() + " @ " + f.subject().kind() + ":" + f.subject().name()).toList();
        for (FaultCatalog.Expectation e : fault.expectations()) {
            if (ACTIVE.contains(e.check())) {
                assertThat(found).as(resource + " expects " + e).contains(e.rule() + " @ " + e.subject());
            }
        }
        assertThat(footprint(db, target)).isEqualTo(before);
    }

    @Test
    void sweepRemovesExactlyTheProbeOwnersDraftsOfCrashedProbes() throws Exception {
        HikariDataSource db = copyOf(ExampleTargets.DRAFTS);
        Map<String, Long> before = footprint(db, ExampleTargets.DRAFTS);
        CheckContext context = context(db, ExampleTargets.DRAFTS.config());
        try (ProbeSession live = ProbeSession.open(db, settings, "sweep-test")) {
            ProbeRows rows = live.inTransaction(c -> ProbeRows.resolve(c, context));
            assertThat(rows.owned()).isTrue();
            // A crashed probe's draft carries the pid of a session that no longer exists (pid 1 is no backend).
            rows.insertDelta(live, rows.create(live), ProbeRows.tagJson(1));
            rows.insertDelta(live, rows.create(live), ProbeRows.tagJson(live.backendPid()));
            assertThat(rows.count(live)).isEqualTo(2);
            assertThat(rows.sweep(live)).isEqualTo(1);
            assertThat(rows.count(live)).as("the running probe's draft stays").isEqualTo(1);
            assertThat(rows.deleteAll(live)).isEqualTo(1);
        }
        // No author's draft and no catalog item was touched.
        assertThat(footprint(db, ExampleTargets.DRAFTS)).isEqualTo(before);
    }

    @Test
    void overridesWriteArgumentsInTheWrongOrderEndAsErrorNamingTheField() throws Exception {
        ExampleTarget target = ExampleTargets.OVERRIDES;
        TargetConfig config = target.config();
        TargetConfig.Write write = config.write();
        // save_override(expected_version timestamptz, key uuid, patch jsonb), declared as (key, expectedVersion, patch).
        TargetConfig.Write wrong = new TargetConfig.Write(write.function(), List.of(
                TargetConfig.Argument.of(TargetConfig.Argument.Role.KEY),
                TargetConfig.Argument.of(TargetConfig.Argument.Role.EXPECTED_VERSION),
                TargetConfig.Argument.of(TargetConfig.Argument.Role.PATCH)), null, write.conflict());
        TargetConfig misconfigured = new TargetConfig(config.schemaVersion(), config.name(), config.schema(),
                config.documents(), config.merge(), wrong, config.queries(), config.probes());
        HikariDataSource db = copyOf(target);
        Map<String, Long> before = footprint(db, target);
        List<CheckExecution> runs = runAll(context(db, misconfigured));
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.run().outcome()).as(r.run().check()).isEqualTo(CheckRun.Outcome.ERROR);
            assertThat(r.run().error()).as(r.run().check()).startsWith("write.arguments: ")
                    .contains("save_override", "expected_version timestamp with time zone, key uuid, patch jsonb");
        });
        assertThat(findings(runs)).isEmpty();
        assertThat(footprint(db, target)).isEqualTo(before);
    }

    @Test
    void draftsStatementThatCannotRunEndsAsErrorNamingTheField() throws Exception {
        ExampleTarget target = ExampleTargets.DRAFTS;
        TargetConfig config = target.config();
        // A statement that names a column the table does not have: every save fails, so nothing can be judged.
        TargetConfig.Write broken = new TargetConfig.Write(null, null, config.write().statement()
                .replace("updated_at = now()", "edited_at = now()"), config.write().conflict());
        TargetConfig misconfigured = new TargetConfig(config.schemaVersion(), config.name(), config.schema(),
                config.documents(), config.merge(), broken, config.queries(), config.probes());
        HikariDataSource db = copyOf(target);
        Map<String, Long> before = footprint(db, target);
        List<CheckExecution> runs = runAll(context(db, misconfigured));
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.run().outcome()).as(r.run().check()).isEqualTo(CheckRun.Outcome.ERROR);
            assertThat(r.run().error()).as(r.run().check()).startsWith("write.statement: ");
        });
        assertThat(findings(runs)).isEmpty();
        assertThat(footprint(db, target)).isEqualTo(before);
    }
}
