package dev.deltawatch.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link ComposeFile} reads a compose file, and what the real one says about the worker's start. */
class ComposeFileTest {
    @TempDir
    Path dir;

    private ComposeFile compose(String yaml) throws IOException {
        Path f = dir.resolve("docker-compose.yml");
        Files.writeString(f, yaml);
        return ComposeFile.read(f);
    }

    @Test
    void startsEachServiceAfterWhatItDependsOnInEitherForm() throws IOException {
        ComposeFile c = compose("""
                services:
                  worker: {depends_on: {setup: {condition: service_completed_successfully}, db: {condition: service_healthy}}}
                  setup: {depends_on: [db]}
                  db: {image: "postgres:17"}
                """);
        assertThat(c.startOrder()).extracting(ComposeFile.Service::name).containsExactly("db", "setup", "worker");
        assertThat(c.isOneShot("setup")).isTrue();
        assertThat(c.isOneShot("db")).isFalse();
        assertThat(c.without("setup").startOrder()).extracting(ComposeFile.Service::name)
                .containsExactly("db", "worker");
        assertThat(c.without("setup").service("worker").dependsOn()).containsOnlyKeys("db");
    }

    @Test
    void rejectsACycleAndADependencyOnAnUndefinedService() throws IOException {
        assertThatThrownBy(() -> compose("services: {a: {depends_on: [b]}, b: {depends_on: [a]}}").startOrder())
                .hasMessageContaining("dependency cycle");
        assertThatThrownBy(() -> compose("services: {a: {depends_on: [nope]}}").startOrder())
                .hasMessageContaining("undefined service nope");
    }

    @Test
    void substitutesVariablesAsComposeDoes() {
        Map<String, String> vars = Map.of("SET", "x", "EMPTY", "");
        assertThat(ComposeFile.substitute("${SET:-d}/${UNSET:-d}/${EMPTY:-d}/${EMPTY-d}/${UNSET}/$$HOME", vars))
                .isEqualTo("x/d/d///$HOME");
    }

    @Test
    void theRealWorkerWaitsForAOneShotThatRunsSetupWithItsConfig() throws IOException {
        ComposeFile c = ComposeFile.read(Path.of("..", "docker-compose.yml"));
        String setup = c.service("deltawatch").dependsOn().entrySet().stream()
                .filter(e -> ComposeFile.COMPLETED.equals(e.getValue())).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("the worker waits for no one-shot service"));
        assertThat(c.service(setup).command(Map.of())).startsWith("setup")
                .containsSequence("--config", c.service("deltawatch").command(Map.of()).get(2));
        assertThat(c.service(setup).environment(Map.of())).containsAllEntriesOf(Map.of(
                "DELTAWATCH_JDBC_URL", c.service("deltawatch").environment(Map.of()).get("DELTAWATCH_JDBC_URL")));
    }
}
