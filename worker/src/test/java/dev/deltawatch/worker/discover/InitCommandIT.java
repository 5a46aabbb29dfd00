package dev.deltawatch.worker.discover;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.config.TargetConfigLoader;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.runtime.FaultInjection;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.testing.CliRun;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code deltawatch init} on each example target, seeded clean with the application's reads in pg_stat_statements:
 * the config it writes loads, passes the catalog, describes the target as its hand-written config does, and checks
 * clean; and the ways init refuses (no pattern, a schema it may not read, an existing file).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InitCommandIT {
    /** Every family: the clean check is {@code check} with the init config, lock and edge probes included. */
    private static final Set<String> FAMILIES = Set.of("merge", "plan", "lock", "edge", "hygiene");
    private final InitTargets targets = new InitTargets();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"reference", "drafts", "overrides"})
    void writesAConfigThatLoadsMatchesTheHandWrittenOneAndChecksClean(String name, @TempDir Path dir) throws Exception {
        PostgresAddress db = targets.withWorkload(name);
        Path file = dir.resolve(name + ".yaml");
        CliRun run = InitTargets.init(db, file);
        assertThat(run.code()).as("%s%n%s", run.err(), run.out()).isZero();
        assertThat(run.out()).contains("documents:", "merge:", "queries:");
        TargetConfig found = TargetConfigLoader.fromFile(file);
        TargetConfig hand = ExampleTargets.named(name).config();
        assertThat(found.documents()).as(Files.readString(file)).isEqualTo(hand.documents());
        assertThat(found.merge().function()).isEqualTo(hand.merge().function());
        assertThat(found.merge().arguments()).isEqualTo(hand.merge().arguments());
        if (hand.write().statement() != null) {
            // The application's save, from pg_stat_statements: the hand-written statement with the constants
            // pg_stat_statements normalized away written back as 1 (and marked a guess)
            assertThat(found.write().statement().strip().replaceAll("\\s+", " "))
                    .isEqualTo(hand.write().statement().strip().replaceAll("\\s+", " "));
            assertThat(found.write().conflict().zeroRows()).isTrue();
            assertThat(Files.readString(file)).contains("(a guess, confirm it)", "TODO write.statement: constants");
            assertThat(run.out()).contains("write: the application's statement from pg_stat_statements, conflict on "
                    + "zero rows (likely; 2 constant(s) guessed as 1)");
        } else {
            assertThat(found.write().function()).isEqualTo(hand.write().function());
            assertThat(found.write().arguments()).isEqualTo(hand.write().arguments());
            assertThat(found.write().conflict().sqlState()).isEqualTo(hand.write().conflict().sqlState());
            assertThat(found.write().conflict().message()).startsWith(hand.write().conflict().message());
        }
        assertThat(found.probes().column()).isEqualTo(hand.probes().column());
        assertThat(found.queries()).isNotEmpty().allSatisfy(q -> assertThat(q.budgetMs()).isIn(10L, 100L));

        List<CheckExecution> runs;
        try (HikariDataSource ds = Database.pool(db, "checks", 8)) {
            try (Connection c = ds.getConnection()) {
                TargetCatalog.resolve(c, found);
            }
            runs = FaultInjection.runChecks(ds, found, FAMILIES);
        }
        assertThat(runs).allSatisfy(r -> assertThat(r.run().outcome()).as(r.run().check() + ": " + r.run().error())
                .isNotEqualTo(CheckRun.Outcome.ERROR));
        assertThat(runs.stream().flatMap(r -> r.findings().stream()))
                .filteredOn(f -> f.severity() == Severity.BLOCKER || f.severity() == Severity.HIGH)
                .as("BLOCKER/HIGH findings with the init config on the clean %s target:%n%s", name,
                        Files.readString(file)).isEmpty();
    }

    @Test
    void checkFlagRunsEveryCheckWithTheNewConfigAndExitsAsCheckDoes(@TempDir Path dir) throws Exception {
        PostgresAddress db = targets.withWorkload("reference");
        Path file = dir.resolve("t.yaml");
        CliRun run = InitTargets.init(db, file, "--check");
        assertThat(run.code()).as("%s%n%s", run.err(), run.out()).isZero();
        assertThat(run.out()).contains("written " + file, "running check with " + file);
        assertThat(run.out().substring(run.out().indexOf("running check"))).contains("deltawatch check on",
                "merge.battery", "plan.audit", "lock.", "edge.", "0 BLOCKER, 0 HIGH");
    }

    @Test
    void aStatementWhoseParametersCannotBeDrawnIsListedWithItsGenericPlan(@TempDir Path dir) throws Exception {
        PostgresAddress db = targets.withWorkload("reference");
        try (HikariDataSource ds = Database.pool(db, "app", 1); Connection c = ds.getConnection();
             Statement s = c.createStatement()) {
            // IN lists become IN ($1, $2, $3) in pg_stat_statements: no column sits beside each parameter to draw from
            for (int i = 0; i < 50; i++) {
                s.executeQuery("SELECT id, merged_category FROM pfa_records WHERE id IN (1, 2, 3)").close();
            }
        }
        Path file = dir.resolve("t.yaml");
        CliRun run = InitTargets.init(db, file);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(Files.readString(file)).contains("# Seen in pg_stat_statements but not registered",
                "WHERE id IN ($1, $2, $3)", "EXPLAIN (GENERIC_PLAN): ", "on pfa_records -- fill in params");
        assertThat(TargetConfigLoader.fromFile(file).queries()).noneMatch(q -> q.sql().contains("IN ($1"));
    }

    @Test
    void aSchemaWithoutThePatternExitsTwoSayingSo(@TempDir Path dir) throws Exception {
        PostgresAddress db = TestInfrastructure.freshDatabase("init_nopattern");
        try (HikariDataSource ds = Database.pool(db, "ddl", 1); Connection c = ds.getConnection();
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id bigint PRIMARY KEY, name text, profile jsonb)");
        }
        CliRun run = InitTargets.init(db, dir.resolve("t.yaml"));
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("no mirror + delta pattern found", "customers.profile");
        assertThat(dir.resolve("t.yaml")).doesNotExist();
    }

    @Test
    void aRoleWithoutUsageOnTheSchemaGetsAnErrorNamingThePrivilege(@TempDir Path dir) throws Exception {
        PostgresAddress db = targets.seeded("reference");
        String role = "init_reader_" + ProcessHandle.current().pid();
        try (HikariDataSource ds = Database.pool(db, "ddl", 1); Connection c = ds.getConnection();
             Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS " + role);
            s.execute("CREATE ROLE " + role + " LOGIN");
            s.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
        }
        CliRun run = CliRun.run("init", "--jdbc-url", db.jdbcUrl(), "--user", role, "--output",
                dir.resolve("t.yaml").toString());
        assertThat(run.code()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("lacks the USAGE privilege on schema public", "GRANT USAGE ON SCHEMA public TO "
                + role);
    }

    @Test
    void withoutPgStatStatementsTheConfigSaysSoAndStillLoads(@TempDir Path dir) throws Exception {
        PostgresAddress db = targets.seeded("overrides");
        Path file = dir.resolve("t.yaml");
        CliRun run = InitTargets.init(db, file);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(Files.readString(file)).contains("pg_stat_statements is not installed in this database");
        assertThat(run.out()).contains("queries: none (pg_stat_statements is not installed)");
        assertThat(TargetConfigLoader.fromFile(file).queries()).isEmpty();
    }

    @Test
    void anExistingFileIsDiffedAndOnlyOverwrittenWithForce(@TempDir Path dir) throws Exception {
        PostgresAddress db = targets.seeded("reference");
        Path file = dir.resolve("t.yaml");
        assertThat(InitTargets.init(db, file).code()).isZero();
        String edited = Files.readString(file).replace("kind: integer", "kind: token");
        Files.writeString(file, edited);

        CliRun again = InitTargets.init(db, file);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.out()).contains("exists and differs", "- " + "    kind: token", "+ " + "    kind: integer");
        assertThat(Files.readString(file)).isEqualTo(edited);

        CliRun forced = InitTargets.init(db, file, "--force");
        assertThat(forced.code()).isZero();
        assertThat(Files.readString(file)).contains("kind: integer").doesNotContain("kind: token");
    }
}
