package dev.deltawatch.worker.target;

import static dev.deltawatch.worker.target.ExampleTargetSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.overrides.OverridesGenerator;
import dev.deltawatch.worker.target.overrides.OverridesSeedSummary;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The overrides example target on a real PostgreSQL 17: install, seed, the merge-patch contract, the token write. */
class OverridesTargetIT {
    private static final ExampleTarget TARGET = ExampleTargets.OVERRIDES;
    private static HikariDataSource ds;
    private static OverridesSeedSummary seeded;

    @BeforeAll
    static void seed() throws Exception {
        PostgresAddress address = TestInfrastructure.freshDatabase("overrides_target");
        ds = Database.pool(address, "test", 4);
        seeded = (OverridesSeedSummary) TARGET.seeder().seed(address, SeedOptions.of(3_000, 7, true), null, false);
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void installIsIdempotent() {
        assertThat(TARGET.install(ds)).isZero();
    }

    @Test
    void seedWritesTheDeclaredDistributionWithSeedIndependentPageIds() throws Exception {
        assertThat(seeded.tablePages()).isEqualTo(3_000);
        assertThat(seeded.overriddenShare()).isBetween(0.30, 0.40);
        assertThat(seeded.hiddenHeroShare()).isBetween(0.05, 0.5);
        // The registered queries name pages 1 and 42 by id: those ids must exist whatever the seed.
        assertThat(OverridesGenerator.pageId(41)).hasToString("333ab3af-fdde-3597-847d-b7e734e35c1a");
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT slug FROM content_pages WHERE id = ?")) {
            ps.setObject(1, OverridesGenerator.pageId(41));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).endsWith("/page-42");
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalRows() throws Exception {
        PostgresAddress other = TestInfrastructure.freshDatabase("overrides_target_again");
        try (HikariDataSource again = Database.pool(other, "test", 2)) {
            TARGET.seeder().seed(other, SeedOptions.of(3_000, 7, true), null, false);
            for (String table : List.of("SELECT id, source, slug, content, synced_at FROM content_pages",
                    "SELECT page_id, patch, updated_at, updated_by FROM content_overrides")) {
                assertThat(ExampleTargetSupport.fingerprint(again, table))
                        .isEqualTo(ExampleTargetSupport.fingerprint(ds, table));
            }
        }
    }

    @Test
    void mergeIsAJsonMergePatchWithTheOverrideFirst() throws Exception {
        String base = "{\"title\": \"T\", \"hero\": {\"image\": \"a.jpg\", \"alt\": \"A\"}, \"seo\": {\"title\": \"S\", "
                + "\"description\": \"D\"}, \"tags\": [\"x\", \"y\"], \"qty\": 0}";
        assertThat(merge("{\"seo\": {\"description\": \"D2\"}, \"hero\": null, \"tags\": [\"z\"], \"qty\": \"0\"}",
                base)).isEqualTo(json("{\"title\": \"T\", \"seo\": {\"title\": \"S\", \"description\": \"D2\"}, "
                + "\"tags\": [\"z\"], \"qty\": \"0\"}"));
        assertThat(merge("{\"banner\": {\"text\": \"B\", \"until\": null}}", base).get("banner"))
                .as("nulls inside a new object are removed too").isEqualTo(json("{\"text\": \"B\"}"));
        assertThat(merge(null, base)).as("no override: the page as is").isEqualTo(json(base));
        assertThat(merge("{\"a\": 1}", null)).as("SQL NULL page counts as {}").isEqualTo(json("{\"a\": 1}"));
        assertThat(merge("{\"seo\": {\"title\": null}}", base).get("seo"))
                .isEqualTo(json("{\"description\": \"D\"}"));
    }

    @Test
    void saveCreatesMovesTheTokenAndRefusesStaleTokensWithTheConflictError() throws Exception {
        UUID page = OverridesGenerator.pageId(2_999);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM content_overrides WHERE page_id = '" + page + "'");
            OffsetDateTime created = save(c, null, page, "{\"title\": \"Editorial\", \"seo\": {\"description\": \"x\"}}");
            assertThatThrownBy(() -> save(c, null, page, "{\"title\": \"again\"}"))
                    .as("a second create meets the existing override").hasMessageContaining("Version conflict")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("PF409"));
            OffsetDateTime next = save(c, created, page, "{\"seo\": {\"title\": \"S\"}, \"title\": null}");
            assertThat(next).isAfter(created);
            assertThat(override(c, page)).isEqualTo(json("{\"seo\": {\"title\": \"S\", \"description\": \"x\"}}"));
            assertThatThrownBy(() -> save(c, created, page, "{\"title\": \"stale\"}"))
                    .hasMessageContaining("Version conflict")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("PF409"));
            assertThat(override(c, page)).isEqualTo(json("{\"seo\": {\"title\": \"S\", \"description\": \"x\"}}"));
            assertThatThrownBy(() -> save(c, null, UUID.randomUUID(), "{}"))
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("P0002"));
            assertThatThrownBy(() -> save(c, next, page, "[1]"))
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("22023"));
        }
    }

    @Test
    void probePagesTakeTheirKeyAndSlugFromDefaults() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO content_sources (name, base_url) VALUES ('__deltawatch_probe__', 'probe')");
            try (ResultSet rs = s.executeQuery("INSERT INTO content_pages (source, content) VALUES "
                    + "('__deltawatch_probe__', '{\"probe\": true}') RETURNING id::text")) {
                assertThat(rs.next()).isTrue();
                UUID probe = UUID.fromString(rs.getString(1));
                assertThat(save(c, null, probe, "{\"title\": \"probe\"}")).isNotNull();
            }
            c.rollback();
        }
    }

    @Test
    void registeredQueriesRunOnTheSeededSchema() throws Exception {
        ExampleTargetSupport.registeredQueriesRun(ds, TARGET);
    }

    @Test
    void everyFaultAppliesCleanlyOnTheSeededTarget() throws Exception {
        assertThat(ExampleTargetSupport.applyEveryFault(ds, TARGET)).hasSizeGreaterThanOrEqualTo(8);
        assertThat(TARGET.faults().faults()).extracting(FaultCatalog.Fault::family)
                .contains("merge", "plan", "lock", "edge");
        ExampleTargetSupport.indexListsEveryFile(TARGET);
    }

    private static JsonNode merge(String override, String base) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT override_merge(?::jsonb, ?::jsonb)")) {
            ps.setString(1, override);
            ps.setString(2, base);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return json(rs.getString(1));
            }
        }
    }

    private static OffsetDateTime save(Connection c, OffsetDateTime token, UUID page, String patch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT save_override(?, ?, ?::jsonb)")) {
            ps.setObject(1, token);
            ps.setObject(2, page);
            ps.setString(3, patch);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class);
            }
        }
    }

    private static JsonNode override(Connection c, UUID page) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT patch FROM content_overrides WHERE page_id = ?")) {
            ps.setObject(1, page);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? json(rs.getString(1)) : null;
            }
        }
    }
}
