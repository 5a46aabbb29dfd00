package dev.deltawatch.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigLoaderTest {

    @Test
    void nestedAndDottedKeysMeanTheSameAndDefaultsFillTheRest() {
        WorkerConfig nested = WorkerConfigLoader.parse("""
                deltawatch:
                  route:
                    coalesce:
                      window.ms: 100
                """, "a.yaml", Map.of(), List.of());
        WorkerConfig dotted = WorkerConfigLoader.parse("deltawatch.route.coalesce.window.ms: 100", "b.yaml",
                Map.of(), List.of());
        assertThat(nested.millis(WorkerConfigDef.COALESCE_WINDOW_MS)).isEqualTo(Duration.ofMillis(100))
                .isEqualTo(dotted.millis(WorkerConfigDef.COALESCE_WINDOW_MS));
        assertThat(nested.number(WorkerConfigDef.COALESCE_MAX_RECORDS)).isEqualTo(1000);
        assertThat(nested.roles()).containsExactlyInAnyOrder("capture", "validate");
    }

    @Test
    void aYamlSyntaxErrorNamesTheFileLineAndColumn(@TempDir Path dir) throws java.io.IOException {
        Path file = dir.resolve("worker.yaml");
        Files.writeString(file, """
                deltawatch:
                  database.jdbc.url: jdbc:postgresql://127.0.0.1:5432/staging
                  route.coalesce.window.ms: 100: 200
                """);
        assertThatThrownBy(() -> WorkerConfigLoader.load(file, Map.of(), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not valid YAML at line 3, column 32: mapping values are not allowed here");
    }

    @Test
    void environmentOverridesTheFile() {
        WorkerConfig c = WorkerConfigLoader.parse("deltawatch.route.coalesce.window.ms: 100", "a.yaml",
                Map.of("DELTAWATCH_ROUTE_COALESCE_WINDOW_MS", "40", "DELTAWATCH_JDBC_URL", "jdbc:postgresql://h/db"),
                List.of());
        assertThat(c.number(WorkerConfigDef.COALESCE_WINDOW_MS)).isEqualTo(40);
        assertThat(c.string(WorkerConfigDef.JDBC_URL)).isEqualTo("jdbc:postgresql://h/db");
    }

    @Test
    void rejectsZeroStatementTimeoutNamingKeyValueAndRule() {
        assertThatThrownBy(() -> WorkerConfigLoader.parse("deltawatch.check.statement.timeout.ms: 0", "w.yaml",
                Map.of(), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value 0 for configuration deltawatch.check.statement.timeout.ms: must be >= 1");
    }

    @Test
    void unknownKeySuggestsTheClosestKnownOne() {
        assertThatThrownBy(() -> WorkerConfigLoader.parse("deltawatch.route.coalesce.windw.ms: 5", "w.yaml",
                Map.of(), List.of()))
                .hasMessageContaining("unknown key deltawatch.route.coalesce.windw.ms")
                .hasMessageContaining("did you mean deltawatch.route.coalesce.window.ms?");
    }

    @Test
    void secretsInTheFileAreRefusedAndMaskedWhenDescribed() {
        assertThatThrownBy(() -> WorkerConfigLoader.parse("deltawatch.database.password: hunter2", "w.yaml",
                Map.of(), List.of()))
                .hasMessageContaining("environment only").hasMessageNotContaining("hunter2");
        WorkerConfig c = WorkerConfigLoader.parse("", "w.yaml", Map.of("DELTAWATCH_JDBC_PASSWORD", "hunter2"), List.of());
        assertThat(c.string(WorkerConfigDef.JDBC_PASSWORD)).isEqualTo("hunter2");
        assertThat(c.describe()).contains("deltawatch.database.password = ******").doesNotContain("hunter2");
    }

    @Test
    void unknownFamilyAndMissingRequiredKeyAreReportedTogether() {
        assertThatThrownBy(() -> WorkerConfigLoader.parse("deltawatch.check.families: merge,plna", "w.yaml",
                Map.of(), List.of(WorkerConfigDef.JDBC_URL)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2)
                        .anySatisfy(p -> assertThat(p).contains("'plna' is not one of"))
                        .anySatisfy(p -> assertThat(p).contains("missing required configuration deltawatch.database.jdbc.url")));
    }

    @Test
    void debeziumPassthroughKeysReachTheEngineWithoutThePrefix() {
        WorkerConfig c = WorkerConfigLoader.parse("deltawatch.capture.debezium.max.batch.size: 4096", "w.yaml",
                Map.of(), List.of());
        assertThat(c.debeziumProperties()).containsEntry("max.batch.size", "4096");
    }

    @Test
    void readmeDocumentsEveryKeyWithItsEnvironmentVariable() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        for (ConfigKey key : WorkerConfigDef.KEYS) {
            assertThat(readme).as("README documents " + key.name())
                    .contains("| `" + key.name() + "` |").contains("`" + key.envName() + "`");
        }
    }
}
