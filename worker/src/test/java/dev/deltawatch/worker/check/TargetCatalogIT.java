package dev.deltawatch.worker.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.config.ConfigException;
import dev.deltawatch.worker.config.TargetConfigLoader;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TargetCatalogIT {
    private static HikariDataSource ds;

    /** A small delta-table system beside the reference target: text keys, per-owner drafts, a token version. */
    private static final String DRAFTS_DDL = """
            CREATE TABLE items (sku text PRIMARY KEY, body jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'));
            CREATE TABLE drafts (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), owner text NOT NULL,
                sku text NOT NULL REFERENCES items, changes jsonb, version integer NOT NULL DEFAULT 1,
                saved_at timestamptz NOT NULL DEFAULT now(), UNIQUE (owner, sku));
            CREATE TABLE loose_drafts (owner text, sku text REFERENCES items, changes jsonb, version integer);
            CREATE FUNCTION three_args(a jsonb, b jsonb, c int) RETURNS jsonb LANGUAGE sql AS 'SELECT a || b';
            """;

    private static final String DRAFTS = """
            schemaVersion: 2
            name: drafts
            documents:
              mirror: {table: items, key: sku, column: body}
              delta: {table: %s, record: sku, owner: owner, column: changes}
              version: {on: delta, column: %s, kind: %s}
            merge:
              %s
              contract: {objects: concat, deltaNull: override, arrays: replace, sqlNull: propagate}
            """;

    @BeforeAll
    static void install() throws Exception {
        ds = TestInfrastructure.referenceTarget("catalog");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(DRAFTS_DDL);
        }
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    private static TargetConfig drafts(String table, String version, String kind, String merge) {
        return TargetConfigLoader.parse(DRAFTS.formatted(table, version, kind, merge), "drafts.yaml");
    }

    @Test
    void referenceConfigResolvesToQuotedIdentifiers() throws Exception {
        try (Connection c = ds.getConnection()) {
            ResolvedTarget t = TargetCatalog.resolve(c, ReferenceTarget.config());
            assertThat(t.primaryTable().qualifiedName()).isEqualTo("\"public\".\"pfa_records\"");
            assertThat(t.primaryTable().delta()).isEqualTo("\"delta_json\"");
            assertThat(t.primaryTable().keyType()).isEqualTo("bigint");
            assertThat(t.merge().sql("m", "d")).isEqualTo("\"public\".\"pfa_merge\"(m, d)");
            assertThat(t.writeFunction()).isEqualTo("\"public\".\"pfa_update_delta\"");
            assertThat(t.deltaTable()).isEmpty();
        }
    }

    @Test
    void deltaTableLayoutResolvesWithOwnerTokenVersionAndTheInputDomain() throws Exception {
        try (Connection c = ds.getConnection()) {
            ResolvedTarget t = TargetCatalog.resolve(c, drafts("drafts", "saved_at", "token", "operator: \"||\""));
            assertThat(t.tables()).extracting(ResolvedTarget.Table::name).containsExactly("items", "drafts");
            assertThat(t.primaryTable().keyType()).isEqualTo("text");
            assertThat(t.deltaTable()).get().satisfies(d -> {
                assertThat(d.owner()).isEqualTo("\"owner\"");
                assertThat(d.version()).isEqualTo("\"saved_at\"");
            });
            assertThat(t.merge().sql("m", "d")).isEqualTo("(m || d)");
            assertThat(t.inputDomain()).isEqualTo(new ResolvedTarget.InputDomain(true, true, false, false));
        }
    }

    @Test
    void mismatchesWithTheCatalogAreConfigErrorsNamingEachField() throws Exception {
        TargetConfig wrong = drafts("loose_drafts", "saved_at", "integer", "function: three_args");
        TargetConfig textVersion = drafts("drafts", "owner", "integer", "operator: \"||\"");
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> TargetCatalog.resolve(c, wrong)).isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems())
                            .anySatisfy(p -> assertThat(p).startsWith("documents.delta.owner").contains("UNIQUE(owner, sku)"))
                            .anySatisfy(p -> assertThat(p).startsWith("documents.version.column").contains("saved_at"))
                            .anySatisfy(p -> assertThat(p).startsWith("merge.function").contains("a jsonb, b jsonb, c integer")));
            assertThatThrownBy(() -> TargetCatalog.resolve(c, textVersion)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("documents.version.kind").hasMessageContaining("is text")
                    .hasMessageContaining("kind: token");
        }
    }

    @Test
    void drawnParametersMustNameAColumnOfTheSchemaForAParameterTheQueryHas() throws Exception {
        String yaml = """
                schemaVersion: 2
                name: draws
                documents:
                  mirror: {table: pfa_records, key: id, column: mirror_json}
                  delta: {column: delta_json}
                  version: {column: version}
                merge:
                  function: pfa_merge
                  contract: {objects: deep, deltaNull: override, arrays: replace, sqlNull: empty}
                queries:
                  - name: by-org
                    sql: SELECT id FROM pfa_records WHERE organization_id = $1 AND merged_category = $2
                    params: [[HOLNG, Cranes]]
                    budgetMs: 100
                    drawFrom: [pfa_records.organization_id, pfa_records.merged_categroy, pfa_records.version]
                """;
        TargetConfig wrong = TargetConfigLoader.parse(yaml, "draws.yaml");
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> TargetCatalog.resolve(c, wrong)).isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2)
                            .anySatisfy(p -> assertThat(p).startsWith("queries[0].drawFrom[1]")
                                    .contains("merged_categroy").contains("merged_category"))
                            .anySatisfy(p -> assertThat(p).startsWith("queries[0].drawFrom[2]")
                                    .contains("no $3")));
            TargetConfig right = TargetConfigLoader.parse(yaml.replace(", pfa_records.merged_categroy, "
                    + "pfa_records.version", ", null"), "draws.yaml");
            assertThat(TargetCatalog.resolve(c, right).config().queries().get(0).drawFrom())
                    .containsExactly("pfa_records.organization_id", null);
        }
    }

    @Test
    void injectionThroughATableNameFailsWithTheFieldAndWhatExists() throws Exception {
        TargetConfig evil = TargetConfigLoader.parse(DRAFTS.formatted("drafts; DROP TABLE organizations", "version",
                "integer", "operator: \"||\""), "evil.yaml");
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> TargetCatalog.resolve(c, evil))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("documents.delta.table")
                    .hasMessageContaining("pfa_records");
            try (ResultSet rs = c.createStatement().executeQuery("SELECT to_regclass('organizations') IS NOT NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("organizations still exists").isTrue();
            }
        }
    }

    @Test
    void unknownColumnAndFunctionAreReportedTogether() throws Exception {
        String yaml = """
                schemaVersion: 1
                name: wrong
                tables:
                  - {name: pfa_records, keyColumn: id, mirrorColumn: "mirror\\"--", deltaColumn: delta_json,
                     versionColumn: version}
                merge:
                  function: pfa_merge_v2
                  contract: {objects: deep, deltaNull: override, arrays: replace, sqlNull: empty}
                """;
        TargetConfig wrong = TargetConfigLoader.parse(yaml, "wrong.yaml");
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> TargetCatalog.resolve(c, wrong))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems())
                            .anySatisfy(p -> assertThat(p).contains("documents.mirror.column").contains("mirror_json"))
                            .anySatisfy(p -> assertThat(p).contains("merge.function").contains("pfa_merge")));
        }
    }

    @Test
    void quotingDoublesEmbeddedQuotes() {
        assertThat(SqlIdentifiers.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThatThrownBy(() -> SqlIdentifiers.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }
}
