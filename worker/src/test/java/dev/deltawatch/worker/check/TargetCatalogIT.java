package dev.deltawatch.worker.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.config.ConfigException;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TargetCatalogIT {
    private static HikariDataSource ds;

    @BeforeAll
    static void install() {
        ds = TestInfrastructure.referenceTarget("catalog");
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void referenceConfigResolvesToQuotedIdentifiers() throws Exception {
        try (Connection c = ds.getConnection()) {
            ResolvedTarget t = TargetCatalog.resolve(c, ReferenceTarget.config());
            assertThat(t.primaryTable().qualifiedName()).isEqualTo("\"public\".\"pfa_records\"");
            assertThat(t.primaryTable().delta()).isEqualTo("\"delta_json\"");
            assertThat(t.mergeFunction()).isEqualTo("\"public\".\"pfa_merge\"");
            assertThat(t.writeFunction()).isEqualTo("\"public\".\"pfa_update_delta\"");
        }
    }

    @Test
    void injectionThroughATableNameFailsWithTheFieldAndWhatExists() throws Exception {
        TargetConfig base = ReferenceTarget.config();
        TargetConfig.WatchedTable t = base.tables().get(0);
        TargetConfig evil = new TargetConfig(1, base.name(), base.schema(), List.of(new TargetConfig.WatchedTable(
                "pfa_records; DROP TABLE organizations", t.keyColumn(), t.mirrorColumn(), t.deltaColumn(),
                t.versionColumn(), t.generatedColumns())), base.merge(), base.write(), base.queries(), base.probes());
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> TargetCatalog.resolve(c, evil))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("tables[0].name")
                    .hasMessageContaining("pfa_records");
            try (ResultSet rs = c.createStatement().executeQuery("SELECT to_regclass('organizations') IS NOT NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("organizations still exists").isTrue();
            }
        }
    }

    @Test
    void unknownColumnAndFunctionAreReportedTogether() throws Exception {
        TargetConfig base = ReferenceTarget.config();
        TargetConfig.WatchedTable t = base.tables().get(0);
        TargetConfig wrong = new TargetConfig(1, base.name(), base.schema(), List.of(new TargetConfig.WatchedTable(
                t.name(), t.keyColumn(), "mirror\"--", t.deltaColumn(), t.versionColumn(), List.of())),
                new TargetConfig.MergeFunction("pfa_merge_v2", base.merge().contract()), base.write(), List.of(),
                base.probes());
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> TargetCatalog.resolve(c, wrong))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems())
                            .anySatisfy(p -> assertThat(p).contains("tables[0].mirrorColumn").contains("mirror_json"))
                            .anySatisfy(p -> assertThat(p).contains("merge.function").contains("pfa_merge")));
        }
    }

    @Test
    void quotingDoublesEmbeddedQuotes() {
        assertThat(SqlIdentifiers.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThatThrownBy(() -> SqlIdentifiers.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }
}
