package dev.deltawatch.worker.target;

import static dev.deltawatch.worker.target.ExampleTargetSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.drafts.DraftsSeedSummary;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The drafts example target on a real PostgreSQL 17: install, seed, the || merge, the upsert write path, faults. */
class DraftsTargetIT {
    private static final ExampleTarget TARGET = ExampleTargets.DRAFTS;
    private static PostgresAddress address;
    private static HikariDataSource ds;
    private static DraftsSeedSummary seeded;

    @BeforeAll
    static void seed() throws Exception {
        address = TestInfrastructure.freshDatabase("drafts_target");
        ds = Database.pool(address, "test", 4);
        seeded = (DraftsSeedSummary) TARGET.seeder().seed(address, SeedOptions.of(3_000, 7, true), null, false);
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
    void seedWritesTheDeclaredDistribution() throws Exception {
        assertThat(seeded.tableItems()).isEqualTo(3_000);
        assertThat(seeded.draftedShare()).isBetween(0.33, 0.47);
        assertThat(seeded.multiAuthorShare()).isBetween(0.3, 0.6);
        assertThat(seeded.tableDrafts()).isGreaterThan(seeded.tableItems() / 3);
        assertThat(seeded.kpiRows()).isEqualTo(12);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sum(drafts) FROM draft_kpis_by_category")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the seed refreshed the KPI view").isEqualTo(seeded.tableDrafts());
        }
    }

    @Test
    void sameSeedGivesIdenticalRowsAndAnotherSeedDoesNot() throws Exception {
        PostgresAddress other = TestInfrastructure.freshDatabase("drafts_target_again");
        try (HikariDataSource again = Database.pool(other, "test", 2)) {
            TARGET.seeder().seed(other, SeedOptions.of(3_000, 7, true), null, false);
            for (String table : List.of("SELECT sku, body, synced_at FROM catalog_items",
                    "SELECT id, author_id, item_sku, changes, version, created_at, updated_at FROM item_drafts")) {
                assertThat(ExampleTargetSupport.fingerprint(again, table))
                        .isEqualTo(ExampleTargetSupport.fingerprint(ds, table));
            }
            TARGET.seeder().seed(other, SeedOptions.of(3_000, 8, true), null, false);
            assertThat(ExampleTargetSupport.fingerprint(again, "SELECT body FROM catalog_items"))
                    .isNotEqualTo(ExampleTargetSupport.fingerprint(ds, "SELECT body FROM catalog_items"));
        }
    }

    @Test
    void mergedViewIsTheItemConcatenatedWithTheDraft() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO catalog_items (sku, body) VALUES ('T-VIEW', '{\"title\": \"Old\", \"category\": "
                    + "\"Laptops\", \"price\": {\"amount\": 10, \"currency\": \"EUR\"}, \"tags\": [\"a\", \"b\"], "
                    + "\"promo_badge\": \"Sale\"}')");
            s.execute("INSERT INTO item_drafts (author_id, item_sku, changes) VALUES ('t-author', 'T-VIEW', "
                    + "'{\"title\": \"New\", \"price\": {\"amount\": 12}, \"tags\": [\"c\"], \"promo_badge\": null}')");
            try (ResultSet rs = s.executeQuery("SELECT merged, version FROM item_drafts_merged WHERE sku = 'T-VIEW'")) {
                rs.next();
                // || is shallow: the draft's price object replaces the item's whole price; null is kept.
                assertThat(json(rs.getString(1))).isEqualTo(json("{\"title\": \"New\", \"category\": \"Laptops\", "
                        + "\"price\": {\"amount\": 12}, \"tags\": [\"c\"], \"promo_badge\": null}"));
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT item_category FROM catalog_items WHERE sku = 'T-VIEW'")) {
                rs.next();
                assertThat(rs.getString(1)).as("generated from the mirror, not the draft").isEqualTo("Laptops");
            }
        }
    }

    @Test
    void upsertCreatesTheDraftBumpsTheVersionAndStaleSavesAffectNoRow() throws Exception {
        String statement = ExampleTargetSupport.configTree(TARGET).at("/write/statement").asText();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO catalog_items (sku, body) VALUES ('T-SAVE', '{\"title\": \"Mouse\"}')");
            assertThat(save(c, statement, "ann", "T-SAVE", "{\"title\": \"Mouse 2\"}", 0)).as("first save").isOne();
            assertThat(draft(c, "ann", "T-SAVE")).isEqualTo("1 {\"title\": \"Mouse 2\"}");
            assertThat(save(c, statement, "ann", "T-SAVE", "{\"tags\": [\"new\"]}", 1)).isOne();
            assertThat(draft(c, "ann", "T-SAVE")).isEqualTo("2 {\"tags\": [\"new\"], \"title\": \"Mouse 2\"}");
            assertThat(save(c, statement, "ann", "T-SAVE", "{\"title\": \"stale\"}", 1)).as("stale save").isZero();
            assertThat(draft(c, "ann", "T-SAVE")).isEqualTo("2 {\"tags\": [\"new\"], \"title\": \"Mouse 2\"}");
            assertThat(save(c, statement, "bob", "T-SAVE", "{\"title\": \"Bob's\"}", 0)).as("another author").isOne();
            assertThat(draft(c, "bob", "T-SAVE")).startsWith("1 ");
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

    /** Runs the config's statement with its named parameters bound in order of appearance. */
    private static int save(Connection c, String statement, String owner, String key, String patch, int expected)
            throws Exception {
        List<Object> values = new ArrayList<>();
        Matcher m = Pattern.compile(":(owner|key|patch|expectedVersion)\\b").matcher(statement);
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            values.add(switch (m.group(1)) {
                case "owner" -> owner;
                case "key" -> key;
                case "patch" -> patch;
                default -> expected;
            });
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
            return ps.executeUpdate();
        }
    }

    private static String draft(Connection c, String owner, String sku) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT version, changes FROM item_drafts WHERE author_id = ? "
                + "AND item_sku = ?")) {
            ps.setString(1, owner);
            ps.setString(2, sku);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) + " " + rs.getString(2) : null;
            }
        }
    }
}
