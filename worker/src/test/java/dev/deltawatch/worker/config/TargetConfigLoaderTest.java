package dev.deltawatch.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetConfigLoaderTest {

    @Test
    void shippedReferenceConfigValidatesAndDeclaresTheReferenceContract() {
        TargetConfig config = ReferenceTarget.config();
        assertThat(config.name()).isEqualTo("pfa-reference");
        assertThat(config.merge().contract()).isEqualTo(MergeContract.reference());
        assertThat(config.tables()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("pfa_records");
            assertThat(t.generatedColumns()).extracting(TargetConfig.GeneratedColumn::column)
                    .containsExactly("merged_category", "merged_forecast_start");
        });
        assertThat(config.write().conflictSqlState()).isEqualTo("PF409");
        assertThat(config.queries()).extracting(TargetConfig.RegisteredQuery::name)
                .contains("records-by-org-category", "record-by-id");
    }

    @Test
    void everySchemaProblemIsReportedNamingItsField() {
        String yaml = """
                schemaVersion: 1
                name: broken
                tables:
                  - name: pfa_records
                    keyColumn: id
                    mirrorColumn: mirror_json
                    deltaColumn: delta_json
                merge:
                  function: pfa_merge
                  contract: {objects: sideways, deltaNull: override, arrays: replace, sqlNull: empty}
                queries:
                  - {name: q, sql: "SELECT 1", budgetMs: 0}
                """;
        assertThatThrownBy(() -> TargetConfigLoader.parse(yaml, "broken.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broken.yaml")
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("/tables/0").contains("versionColumn"))
                        .anySatisfy(p -> assertThat(p).contains("/merge/contract/objects"))
                        .anySatisfy(p -> assertThat(p).contains("/queries/0/budgetMs")));
    }

    @Test
    void malformedYamlSaysSo() {
        assertThatThrownBy(() -> TargetConfigLoader.parse("name: [unclosed", "x.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void aYamlSyntaxErrorNamesTheFileLineAndColumn(@TempDir Path dir) throws java.io.IOException {
        Path file = dir.resolve("target.yaml");
        java.nio.file.Files.writeString(file, """
                name: pfa
                tables:
                  - name: public.pfa_records
                    mirror: mirror_json: jsonb
                """);
        assertThatThrownBy(() -> TargetConfigLoader.fromFile(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not valid YAML at line 4, column 24: mapping values are not allowed here");
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> TargetConfigLoader.fromFile(Path.of("/nonexistent/target.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }
}
