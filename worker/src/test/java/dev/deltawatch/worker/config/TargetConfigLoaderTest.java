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
        assertThat(config.tableNames()).containsExactly("pfa_records");
        assertThat(config.documents().sameRow()).isTrue();
        assertThat(config.documents().generatedColumns()).extracting(TargetConfig.GeneratedColumn::column)
                .containsExactly("merged_category", "merged_forecast_start");
        assertThat(config.write().conflict().sqlState()).isEqualTo("PF409");
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
    void schemaVersionOneIsUpgradedToTheSameRowLayout() {
        String yaml = """
                schemaVersion: 1
                name: old
                tables:
                  - {name: pfa_records, keyColumn: id, mirrorColumn: mirror_json, deltaColumn: delta_json,
                     versionColumn: version, generatedColumns: [{column: merged_category, path: [category]}]}
                merge:
                  function: pfa_merge
                  contract: {objects: deep, deltaNull: override, arrays: replace, sqlNull: empty}
                write: {function: pfa_update_delta, conflictSqlState: PF409, conflictMessage: Version conflict}
                """;
        TargetConfig config = TargetConfigLoader.parse(yaml, "old.yaml");
        assertThat(config.documents().mirror()).isEqualTo(new TargetConfig.Mirror("pfa_records", "id", "mirror_json"));
        assertThat(config.documents().delta().column()).isEqualTo("delta_json");
        assertThat(config.documents().version().kind()).isEqualTo(TargetConfig.Version.Kind.INTEGER);
        assertThat(config.documents().generatedColumns().get(0).source())
                .isEqualTo(TargetConfig.GeneratedColumn.Source.MERGED);
        assertThat(config.write().arguments()).extracting(TargetConfig.Argument::role).containsExactly(
                TargetConfig.Argument.Role.KEY, TargetConfig.Argument.Role.PATCH,
                TargetConfig.Argument.Role.EXPECTED_VERSION);
        assertThat(config.write().conflict()).isEqualTo(new TargetConfig.Conflict("PF409", "Version conflict", false));
        assertThat(config.probes().column()).isEqualTo("organization_id");
    }

    @Test
    void unknownKeysAreRejectedNamingThem() {
        String yaml = """
                schemaVersion: 2
                name: typo
                documents:
                  mirror: {table: items, key: sku, column: body, colour: blue}
                  delta: {column: changes}
                  version: {column: version}
                merge:
                  operator: "||"
                  contract: {objects: concat, deltaNull: override, arrays: replace, sqlNull: propagate}
                  argumnets: [mirror, delta]
                """;
        assertThatThrownBy(() -> TargetConfigLoader.parse(yaml, "typo.yaml"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("colour"))
                        .anySatisfy(p -> assertThat(p).contains("argumnets")));
    }

    @Test
    void writePathShapesAndPerSideSqlNullParse() {
        String yaml = """
                schemaVersion: 2
                name: drafts
                documents:
                  mirror: {table: items, key: sku, column: body}
                  delta: {table: drafts, record: sku, owner: owner, column: changes}
                  version: {on: delta, column: version, kind: integer, firstWriteCreates: true}
                merge:
                  function: override_merge
                  arguments: [delta, mirror]
                  contract: {objects: shallow, deltaNull: override, arrays: replace,
                             sqlNull: {mirror: empty, delta: propagate}}
                write:
                  function: save
                  arguments: [expectedVersion, {value: web, type: text}, key, patch]
                  conflict: {sqlState: PF409, message: stale}
                """;
        TargetConfig config = TargetConfigLoader.parse(yaml, "drafts.yaml");
        assertThat(config.merge().arguments()).containsExactly(TargetConfig.Merge.Role.DELTA,
                TargetConfig.Merge.Role.MIRROR);
        assertThat(config.merge().contract().sqlNull()).isEqualTo(new MergeContract.SqlNullRule(
                MergeContract.SqlNull.EMPTY, MergeContract.SqlNull.PROPAGATE));
        assertThat(config.write().arguments()).extracting(TargetConfig.Argument::role).containsExactly(
                TargetConfig.Argument.Role.EXPECTED_VERSION, TargetConfig.Argument.Role.CONSTANT,
                TargetConfig.Argument.Role.KEY, TargetConfig.Argument.Role.PATCH);
        assertThatThrownBy(() -> TargetConfigLoader.parse(yaml.replace("function: save\n", "statement: UPDATE x SET y = 1\n"),
                "both.yaml")).isInstanceOf(ConfigException.class);
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
