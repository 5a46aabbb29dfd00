package dev.deltawatch.worker.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reference target on a real PostgreSQL 17: the merge contract, generated columns and the write path. */
class ReferenceTargetIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HikariDataSource ds;

    @BeforeAll
    static void install() {
        ds = TestInfrastructure.referenceTarget("reference_target");
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    @Test
    void secondInstallAppliesNothing() {
        assertThat(ReferenceTarget.install(ds)).isZero();
    }

    @Test
    void deltaNullOverridesAndAbsentKeysFallBackToTheMirror() throws Exception {
        JsonNode merged = merge("{\"name\":\"Original\",\"age\":30}", "{\"name\":null}");
        assertThat(merged.has("name")).isTrue();
        assertThat(merged.get("name").isNull()).isTrue();
        assertThat(merged.get("age").asInt()).isEqualTo(30);
    }

    @Test
    void newKeyFromDeltaIsAddedAndMirrorKeysKept() throws Exception {
        JsonNode merged = merge("{\"name\":\"Original\",\"age\":30}", "{\"email\":\"new@example.com\"}");
        assertThat(merged).isEqualTo(JSON.readTree("{\"name\":\"Original\",\"age\":30,\"email\":\"new@example.com\"}"));
    }

    @Test
    void nullAtDepthThreeOverridesOnlyThatBranch() throws Exception {
        JsonNode merged = merge("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":\"deep\"}},\"keep\":1},\"other\":2}}",
                "{\"a\":{\"b\":{\"c\":null}}}");
        assertThat(merged).isEqualTo(JSON.readTree("{\"a\":{\"b\":{\"c\":null,\"keep\":1},\"other\":2}}"));
    }

    @Test
    void arraysInTheDeltaReplaceTheMirrorsArray() throws Exception {
        JsonNode merged = merge("{\"tags\":[\"a\",\"b\"]}", "{\"tags\":[\"c\"]}");
        assertThat(merged).isEqualTo(JSON.readTree("{\"tags\":[\"c\"]}"));
    }

    @Test
    void sqlNullMirrorOrDeltaCountsAsEmptyObject() throws Exception {
        assertThat(merge(null, "{\"a\":1}")).isEqualTo(JSON.readTree("{\"a\":1}"));
        assertThat(merge("{\"a\":1}", null)).isEqualTo(JSON.readTree("{\"a\":1}"));
    }

    @Test
    void stringZeroStaysAString() throws Exception {
        JsonNode merged = merge("{\"qty\":0}", "{\"qty\":\"0\"}");
        assertThat(merged.get("qty").isTextual()).isTrue();
    }

    @Test
    void generatedColumnsFollowTheMergedDocument() throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO pfa_records (organization_id, mirror_json, delta_json) VALUES ('HOLNG', ?::jsonb, ?::jsonb) "
                        + "RETURNING merged_category, merged_forecast_start::text")) {
            ps.setString(1, "{\"category\":\"Cranes\",\"forecast\":{\"start\":\"2024-03-01\",\"end\":\"2024-09-30\"}}");
            ps.setString(2, "{\"category\":\"Trucks\",\"forecast\":{\"start\":\"2025-01-02\"}}");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("Trucks");
                assertThat(rs.getString(2)).isEqualTo("2025-01-02");
            }
        }
    }

    @Test
    void writePathBumpsTheVersionByExactlyOne() throws Exception {
        long id = insertRecord();
        assertThat(update(id, "{\"notes\":\"first\"}", 1)).isEqualTo(2);
        assertThat(update(id, "{\"notes\":\"second\"}", 2)).isEqualTo(3);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version, delta_json->>'notes' FROM pfa_records WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
                assertThat(rs.getString(2)).isEqualTo("second");
            }
        }
    }

    @Test
    void staleVersionIsRefusedWithVersionConflict() throws Exception {
        long id = insertRecord();
        update(id, "{\"a\":1}", 1);
        SQLException e = catchSql(() -> update(id, "{\"a\":2}", 1));
        assertThat(e.getSQLState()).isEqualTo("PF409");
        assertThat(e.getMessage()).contains("Version conflict");
    }

    @Test
    void twoWritersWithTheSameVersionExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            long id = insertRecord();
            CyclicBarrier barrier = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Object>> outcomes = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    String patch = "{\"forecast\":{\"end\":\"2025-12-3" + w + "\"}}";
                    outcomes.add(pool.submit(() -> {
                        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                                "SELECT pfa_update_delta(?, ?::jsonb, ?)")) {
                            ps.setLong(1, id);
                            ps.setString(2, patch);
                            ps.setInt(3, 1);
                            barrier.await();
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                return (Object) rs.getInt(1);
                            }
                        } catch (SQLException e) {
                            return e;
                        }
                    }));
                }
                List<Object> results = new ArrayList<>();
                for (Future<Object> f : outcomes) {
                    results.add(f.get());
                }
                assertThat(results).filteredOn(r -> r instanceof Integer).containsExactly(2);
                assertThat(results).filteredOn(r -> r instanceof SQLException).singleElement()
                        .satisfies(r -> {
                            SQLException e = (SQLException) r;
                            assertThat(e.getSQLState()).isEqualTo("PF409");
                            assertThat(e.getMessage()).contains("Version conflict");
                        });
                assertThat(version(id)).isEqualTo(2);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void tableHasReplicaIdentityFull() throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT relreplident FROM pg_class WHERE oid = 'pfa_records'::regclass");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("f");
        }
    }

    private static JsonNode merge(String mirror, String delta) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT pfa_merge(?::jsonb, ?::jsonb)::text")) {
            ps.setString(1, mirror);
            ps.setString(2, delta);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return JSON.readTree(rs.getString(1));
            }
        }
    }

    private static long insertRecord() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO pfa_records (organization_id, mirror_json) VALUES ('RIO', "
                        + "'{\"category\":\"Excavators\",\"forecast\":{\"start\":\"2024-01-01\"}}') RETURNING id")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int update(long id, String patch, int expectedVersion) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT pfa_update_delta(?, ?::jsonb, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, patch);
            ps.setInt(3, expectedVersion);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int version(long id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT version FROM pfa_records WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    interface SqlCall {
        void run() throws SQLException;
    }

    private static SQLException catchSql(SqlCall call) {
        try {
            call.run();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected an SQLException");
    }

    @Test
    void originalDefinitionsRestoreAFaultedFunctionAndADroppedIndex() throws Exception {
        try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION pfa_merge(mirror jsonb, delta jsonb) RETURNS jsonb "
                    + "LANGUAGE sql IMMUTABLE AS $$ SELECT mirror || delta $$");
            s.execute("DROP INDEX idx_pfa_org_category");
            s.execute(ReferenceTarget.originalDefinition("pfa_merge"));
            s.execute(ReferenceTarget.originalDefinition("idx_pfa_org_category"));
            s.execute(ReferenceTarget.originalDefinition("idx_pfa_org_category"));
        }
        assertThat(merge("{\"a\":{\"b\":1,\"c\":2}}", "{\"a\":{\"b\":null}}"))
                .isEqualTo(JSON.readTree("{\"a\":{\"b\":null,\"c\":2}}"));
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_pfa_org_category'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).isOne();
        }
    }
}
