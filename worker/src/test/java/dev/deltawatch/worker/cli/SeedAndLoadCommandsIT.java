package dev.deltawatch.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The seed and load commands end to end, in-process, on a real PostgreSQL. */
class SeedAndLoadCommandsIT {

    @Test
    void seedThenLoadWriteTheSummaryAndBothReports(@TempDir Path dir) throws Exception {
        PostgresAddress db = TestInfrastructure.freshDatabase("cli_seed_load");
        StringWriter seedOut = new StringWriter();
        CommandLine seed = Main.commandLine();
        seed.setOut(new PrintWriter(seedOut));
        int code = seed.execute("seed", "--jdbc-url", db.jdbcUrl(), "--rows", "3000", "--truncate", "--seed", "5");
        assertThat(code).isZero();
        assertThat(seedOut.toString()).contains("seeded 3,000 rows", "with deltas", "per organization: HOLNG=");

        Path json = dir.resolve("r.json");
        Path html = dir.resolve("r.html");
        StringWriter loadOut = new StringWriter();
        CommandLine load = Main.commandLine();
        load.setOut(new PrintWriter(loadOut));
        code = load.execute("load", "--jdbc-url", db.jdbcUrl(), "--scenario", "write-storm", "--duration", "2s",
                "--users", "8", "--json", json.toString(), "--html", html.toString());
        assertThat(code).isZero();
        assertThat(loadOut.toString()).contains("write-storm", "delta-write");
        assertThat(Files.readString(json)).contains("\"p99Ms\"", "\"versionConflicts\"");
        assertThat(Files.readString(html)).contains("<svg");
    }

    @Test
    void unknownScenarioIsRejectedWithTheChoices() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("load", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x", "--scenario", "storm");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("storm", "read-storm, write-storm, mixed, bulk-import");
    }

    @Test
    void durationsAcceptUnitsAndIso() {
        assertThat(LoadCommand.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(LoadCommand.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(LoadCommand.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(LoadCommand.parseDuration("PT1M")).isEqualTo(Duration.ofMinutes(1));
    }
}
