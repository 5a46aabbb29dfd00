package dev.deltawatch.worker.target.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The seed on a real PostgreSQL 17: declared distributions, determinism per seed, append without collisions. */
class SeederIT {
    private static final int ROWS = 20_000;
    private static PostgresAddress db;
    private static SeedSummary first;

    @BeforeAll
    static void seed() throws SQLException {
        db = TestInfrastructure.freshDatabase("seeder");
        first = new Seeder(db, null, false).seed(SeedOptions.of(ROWS, 7, true));
    }

    @Test
    void seedingGivesTheDeclaredDistributions() throws SQLException {
        assertThat(first.rows()).isEqualTo(ROWS);
        assertThat(first.tableRows()).isEqualTo(ROWS);
        assertThat(first.deltaShare()).isCloseTo(RecordGenerator.DELTA_SHARE, within(0.02));
        assertThat(first.actualizedShare()).isCloseTo(RecordGenerator.ACTUALIZED_SHARE, within(0.015));
        assertThat(first.avgMirrorBytes()).isBetween(1_700.0, 2_400.0);
        double[] shares = RecordGenerator.organizationShares();
        for (int i = 0; i < shares.length; i++) {
            long n = first.organizations().getOrDefault(RecordGenerator.ORGANIZATIONS[i], 0L);
            assertThat((double) n / ROWS).as(RecordGenerator.ORGANIZATIONS[i]).isCloseTo(shares[i], within(0.015));
        }
        assertThat(first.organizations().keySet().iterator().next()).isEqualTo("HOLNG");
        assertThat(scalar("SELECT count(DISTINCT merged_category) FROM pfa_records")).isEqualTo(15);
        assertThat(scalar("SELECT count(*) FROM pfa_records r WHERE NOT EXISTS "
                + "(SELECT 1 FROM categories c WHERE c.name = r.merged_category)")).isZero();
        assertThat(scalar("SELECT count(*) FROM pfa_records WHERE merged_forecast_start < '2020-01-01' "
                + "OR merged_forecast_start > '2031-12-31' OR merged_forecast_start IS NULL")).isZero();
        assertThat(scalar("SELECT count(DISTINCT extract(year FROM merged_forecast_start)) FROM pfa_records"))
                .isGreaterThanOrEqualTo(11);
        assertThat(scalar("SELECT count(*) FROM pfa_records WHERE (delta_json IS NOT NULL) <> (version > 1)"))
                .isZero();
        assertThat(scalar("SELECT count(*) FROM pfa_records WHERE mirror_json ? 'actual' "
                + "AND NOT mirror_json ? 'billing'")).isZero();
        assertThat(scalar("SELECT count(*) FROM pfa_records WHERE jsonb_typeof(mirror_json->'tags') <> 'array' "
                + "OR jsonb_typeof(mirror_json->'costs'->'rate') <> 'object'")).isZero();
    }

    @Test
    void deltasCoverDateShiftsNotesNullsAndArrayReplacements() throws SQLException {
        assertThat(scalar("SELECT count(*) FROM pfa_records WHERE delta_json ? 'forecast'")).isGreaterThan(1_000);
        assertThat(scalar("SELECT count(*) FROM pfa_records WHERE delta_json ? 'notes'")).isGreaterThan(1_000);
        assertThat(scalar("SELECT count(*) FROM pfa_records WHERE jsonb_typeof(delta_json->'tags') = 'array'"))
                .isGreaterThan(500);
        assertThat(scalar("SELECT count(*) FROM pfa_records WHERE delta_json @? '$.** ? (@ == null)'"))
                .isGreaterThan(500);
    }

    @Test
    void sameSeedGivesIdenticalRowsAndAnotherSeedDifferentOnes() throws SQLException {
        PostgresAddress other = TestInfrastructure.freshDatabase("seeder_det");
        String hash = contentHash(db);
        new Seeder(other, null, false).seed(new SeedOptions(ROWS, 7, true, 3, 777));
        assertThat(contentHash(other)).isEqualTo(hash);
        new Seeder(other, null, false).seed(SeedOptions.of(ROWS, 8, true));
        assertThat(contentHash(other)).isNotEqualTo(hash);
    }

    @Test
    void appendContinuesAfterTheHighestIdAndRestoresIndexes() throws SQLException {
        PostgresAddress other = TestInfrastructure.freshDatabase("seeder_append");
        Seeder seeder = new Seeder(other, null, false);
        seeder.seed(SeedOptions.of(1_000, 7, true));
        SeedSummary appended = seeder.seed(SeedOptions.of(500, 7, false));
        assertThat(appended.tableRows()).isEqualTo(1_500);
        try (HikariDataSource ds = Database.pool(other, "test", 1); Connection c = ds.getConnection();
             Statement s = c.createStatement()) {
            assertThat(one(s, "SELECT max(id) FROM pfa_records")).isEqualTo(1_500);
            // The identity default must not collide with seeded ids.
            assertThat(one(s, "INSERT INTO pfa_records (organization_id) VALUES ('RIO') RETURNING id"))
                    .isEqualTo(1_501);
            // The primary key and every secondary index the reference migrations create, all rebuilt.
            assertThat(one(s, "SELECT count(*) FROM pg_indexes WHERE tablename = 'pfa_records'")).isEqualTo(4);
            assertThat(one(s, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'pfa_records'::regclass "
                    + "AND contype = 'f'")).isEqualTo(1);
        }
    }

    private static long scalar(String sql) throws SQLException {
        try (HikariDataSource ds = Database.pool(db, "test", 1); Connection c = ds.getConnection();
             Statement s = c.createStatement()) {
            return one(s, sql);
        }
    }

    private static long one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String contentHash(PostgresAddress address) throws SQLException {
        try (HikariDataSource ds = Database.pool(address, "test", 1); Connection c = ds.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT md5(string_agg(md5(concat_ws('|', id, organization_id, "
                     + "mirror_json::text, delta_json::text, version, updated_at, updated_by)), '' ORDER BY id)) "
                     + "FROM pfa_records")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
