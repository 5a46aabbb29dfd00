package dev.deltawatch.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void cleanTargetExitsZeroWithAJunitReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.xml");
        Run r = run("check", "--jdbc-url", ds.getJdbcUrl(), "--format", "junit", "--output", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(report)).startsWith("<?xml").contains("<testsuites");
    }

    @Test
    void unreachableDatabaseIsExitTwoWithAReadableMessage() {
        Run r = run("check", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/nowhere", "--families", "merge");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("deltawatch: ").doesNotContain("\tat ");
    }

    @Test
    void unknownFormatOrFamilyIsExitTwoNamingTheOption() {
        Run format = run("check", "--jdbc-url", ds.getJdbcUrl(), "--format", "pdf");
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).contains("--format").contains("pdf");
        Run family = run("check", "--jdbc-url", ds.getJdbcUrl(), "--families", "merge,vibes");
        assertThat(family.code()).isEqualTo(2);
        assertThat(family.err()).contains("unknown family 'vibes'");
    }

    @Test
    void missingDatabaseUrlIsExitTwo() {
        Run r = run("check", "--config", "/nonexistent/worker.yaml");
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
            Run r = run("check", "--jdbc-url", broken.getJdbcUrl(), "--families", "lock", "--format", "text");
            assertThat(r.code()).as(r.err()).isEqualTo(1);
            assertThat(r.out()).contains("BLOCKER");
        }
    }

    @Test
    void htmlReportShowsTheObservedIsolationMatrixAsATable(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        Run r = run("check", "--jdbc-url", ds.getJdbcUrl(), "--families", "lock", "--format", "html",
                "--output", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String html = Files.readString(report);
        assertThat(html).contains("<h2>Isolation matrix (observed on probe tables)</h2>").contains("<table>")
                .contains("serializable").contains("G2-item");
    }
}
