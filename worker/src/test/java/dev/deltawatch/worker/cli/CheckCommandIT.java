package dev.deltawatch.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.testing.CliRun;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandIT {
    private static HikariDataSource ds;

    @BeforeAll
    static void install() {
        ds = TestInfrastructure.referenceTarget("check_command");
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void cleanTargetExitsZeroWithAJunitReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.xml");
        CliRun r = CliRun.run("check", "--jdbc-url", ds.getJdbcUrl(), "--format", "junit", "--output",
                report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(report)).startsWith("<?xml").contains("<testsuites");
    }

    @Test
    void unreachableDatabaseIsExitTwoWithAReadableMessage() {
        CliRun r = CliRun.run("check", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/nowhere", "--families", "merge");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("deltawatch: ").doesNotContain("\tat ");
    }

    @Test
    void unknownFormatOrFamilyIsExitTwoNamingTheOption() {
        CliRun format = CliRun.run("check", "--jdbc-url", ds.getJdbcUrl(), "--format", "pdf");
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).contains("--format").contains("pdf");
        CliRun family = CliRun.run("check", "--jdbc-url", ds.getJdbcUrl(), "--families", "merge,vibes");
        assertThat(family.code()).isEqualTo(2);
        assertThat(family.err()).contains("unknown family 'vibes'");
        CliRun window = CliRun.run("check", "--jdbc-url", ds.getJdbcUrl(), "--pooling-window-ms", "50");
        assertThat(window.code()).isEqualTo(2);
        assertThat(window.err()).contains("Invalid value 50 for option --pooling-window-ms: must be >= 100");
    }

    @Test
    void missingDatabaseUrlIsExitTwo() {
        CliRun r = CliRun.run("check", "--config", "/nonexistent/worker.yaml");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("/nonexistent/worker.yaml").contains("does not exist");
    }

    @Test
    void writePathWithoutVersionPredicateExitsOneWithTheBlockerInTheReport() throws Exception {
        try (HikariDataSource broken = TestInfrastructure.referenceTarget("check_command_fault")) {
            String fault = new String(CheckCommandIT.class.getResourceAsStream(
                    "/faults/lock/01_no_version_predicate.sql").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            try (var c = broken.getConnection(); var s = c.createStatement()) {
                s.execute(fault);
            }
            CliRun r = CliRun.run("check", "--jdbc-url", broken.getJdbcUrl(), "--families", "lock", "--format", "text");
            assertThat(r.code()).as(r.err()).isEqualTo(1);
            assertThat(r.out()).contains("BLOCKER");
        }
    }

    @Test
    void aCheckThatCouldNotRunIsExitTwoNamingItAndItsErrorWhileNoFindingIsOpen(@TempDir Path dir) throws Exception {
        try (HikariDataSource target = TestInfrastructure.referenceTarget("check_command_incomplete")) {
            // The least-privilege role of deploy/sql/role.sql, then a migration that re-created pfa_records: a new
            // table carries no grant, so the role may still read the catalog and run the merge function but not
            // read the records. The REVOKE leaves the table exactly as the re-creation would.
            try (var c = target.getConnection(); var s = c.createStatement()) {
                s.execute(Files.readString(Path.of("..", "deploy", "sql", "role.sql")));
                s.execute("REVOKE SELECT ON pfa_records FROM deltawatch");
            }
            Path config = dir.resolve("worker.yaml");
            Files.writeString(config, """
                    deltawatch:
                      database.jdbc.url: %s
                      database.user: deltawatch
                    """.formatted(target.getJdbcUrl()));
            CliRun r = CliRun.run("check", "--config", config.toString(), "--families", "merge", "--format", "text");
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
            assertThat(r.err()).contains("check incomplete")
                    .contains("merge.differential: SQLSTATE 42501").contains("permission denied for table pfa_records")
                    .contains("merge.generated-column: SQLSTATE 42501");
            assertThat(r.out()).contains("Checks that did not run (2): INCOMPLETE")
                    .contains("ERROR    merge.differential: SQLSTATE 42501")
                    .contains("0 BLOCKER, 0 HIGH");
        }
    }

    @Test
    void htmlReportShowsTheObservedIsolationMatrixAsATable(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        CliRun r = CliRun.run("check", "--jdbc-url", ds.getJdbcUrl(), "--families", "lock", "--format", "html",
                "--output", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String html = Files.readString(report);
        assertThat(html).contains("<h2>Isolation matrix (observed on probe tables)</h2>").contains("<table>")
                .contains("serializable").contains("G2-item");
    }
}
