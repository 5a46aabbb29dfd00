package dev.deltawatch.worker.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.testing.CliRun;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The example-target registry through the CLI: list, install and seed by --target name. */
class ExampleTargetsIT {

    @Test
    void targetListPrintsOneLinePerTargetNameFirst() {
        CliRun run = CliRun.run("target", "list");
        assertThat(run.code()).isZero();
        assertThat(run.out().lines().toList()).hasSize(3)
                .satisfiesExactly(l -> assertThat(l).startsWith("reference "),
                        l -> assertThat(l).startsWith("drafts ").contains("UNIQUE(owner, record)"),
                        l -> assertThat(l).startsWith("overrides ").contains("timestamptz"));
    }

    @Test
    void installAndSeedSelectTheTargetByName() throws Exception {
        PostgresAddress db = TestInfrastructure.freshDatabase("example_targets_cli");
        CliRun install = CliRun.run("target", "install", "--target", "overrides", "--jdbc-url", db.jdbcUrl(),
                "--user", db.user());
        assertThat(install.code()).as(install.err()).isZero();
        assertThat(install.out()).contains("overrides target installed: 2 migration(s) applied");
        assertThat(CliRun.run("target", "install", "--target", "overrides", "--jdbc-url", db.jdbcUrl(), "--user",
                db.user()).out()).contains("already installed");
        CliRun seed = CliRun.run("seed", "--target", "drafts", "--rows", "500", "--truncate", "--jdbc-url",
                db.jdbcUrl(), "--user", db.user());
        assertThat(seed.code()).as(seed.err()).isZero();
        assertThat(seed.out()).contains("seeded 500 items");
        try (HikariDataSource ds = Database.pool(db, "test", 1); Connection c = ds.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM catalog_items), "
                     + "to_regclass('pfa_records') IS NULL")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(500);
            assertThat(rs.getBoolean(2)).as("the reference target was not installed").isTrue();
        }
    }

    @Test
    void unknownTargetIsAConfigErrorListingTheKnownOnes() {
        CliRun run = CliRun.run("target", "install", "--target", "nope", "--jdbc-url", "jdbc:postgresql://x/y");
        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("--target").contains("[reference, drafts, overrides]");
    }
}
