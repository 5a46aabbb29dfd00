package dev.deltawatch.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/sql/role.sql on the reference target: what the worker's role may and may not do. */
class LeastPrivilegeRoleIT {
    private static HikariDataSource admin;
    private static PostgresAddress asWorker;

    @BeforeAll
    static void setUp() throws Exception {
        admin = TestInfrastructure.referenceTarget("least_privilege");
        String script = Files.readString(Path.of("..", "deploy", "sql", "role.sql"));
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute(script);
            s.execute("INSERT INTO pfa_records (organization_id, mirror_json) VALUES ('HOLNG', '{\"category\":\"Cranes\"}')");
        }
        String url = admin.getJdbcUrl();
        asWorker = new PostgresAddress(url, "deltawatch", "");
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    private static Connection worker() throws SQLException {
        return DriverManager.getConnection(asWorker.jdbcUrl(), asWorker.user(), asWorker.password());
    }

    @Test
    void readsEveryRecordAndRunsTheMergeFunction() throws SQLException {
        try (Connection c = worker(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(pfa_merge(mirror_json, delta_json)) FROM pfa_records")) {
            rs.next();
            assertThat(rs.getLong(1)).isPositive().isEqualTo(rs.getLong(2));
        }
    }

    @Test
    void cannotModifyRowsOutsideTheProbeNamespace() throws SQLException {
        try (Connection c = worker(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE pfa_records SET delta_json = '{\"x\":1}' WHERE organization_id = 'HOLNG'"))
                    .isZero();
            assertThat(s.executeUpdate("DELETE FROM pfa_records WHERE organization_id = 'HOLNG'")).isZero();
            assertThatThrownBy(() -> s.executeUpdate(
                    "INSERT INTO pfa_records (organization_id, mirror_json) VALUES ('RIO', '{}')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("row-level security");
            assertThatThrownBy(() -> s.execute("SELECT pfa_update_delta(id, '{\"x\":1}', version) FROM pfa_records "
                    + "WHERE organization_id = 'HOLNG' LIMIT 1"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("DROP TABLE pfa_records")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("TRUNCATE pfa_records")).isInstanceOf(SQLException.class);
        }
        try (Connection c = admin.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE delta_json IS NOT NULL), count(*) "
                     + "FROM pfa_records WHERE organization_id = 'HOLNG'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
            assertThat(rs.getLong(2)).isPositive();
        }
    }

    @Test
    void writesProbeRowsThroughTheWritePathAndRemovesThem() throws SQLException {
        try (Connection c = worker(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO organizations (id, name) VALUES ('__deltawatch_probe__', 'probe') ON CONFLICT DO NOTHING");
            long id;
            try (ResultSet rs = s.executeQuery("INSERT INTO pfa_records (organization_id, mirror_json) "
                    + "VALUES ('__deltawatch_probe__', '{}') RETURNING id")) {
                rs.next();
                id = rs.getLong(1);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pfa_update_delta(?, '{\"n\":1}', 1)")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                }
            }
            assertThat(s.executeUpdate("DELETE FROM pfa_records WHERE organization_id = '__deltawatch_probe__'")).isOne();
            assertThat(s.executeUpdate("DELETE FROM organizations WHERE id = '__deltawatch_probe__'")).isOne();
        }
    }

    @Test
    void roleHasBoundedTimeoutsAndNoSuperpowers() throws SQLException {
        try (Connection c = worker(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("1min");
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT rolsuper, rolbypassrls, rolcreaterole, rolreplication FROM pg_roles WHERE rolname = current_user")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isFalse();
                assertThat(rs.getBoolean(2)).isFalse();
                assertThat(rs.getBoolean(3)).isFalse();
                assertThat(rs.getBoolean(4)).isTrue();
            }
        }
    }

    /** Checks that need more than the role (README, "Pointing deltawatch at a staging database"). */
    static final java.util.Set<String> NEED_MORE_THAN_THE_ROLE = java.util.Set.of("lock.isolation-matrix");

    @Test
    void everyCheckRunsAsTheRoleAndTheCleanTargetRaisesNoBlockerOrHigh() throws Exception {
        dev.deltawatch.worker.infra.PostgresAddress role = new dev.deltawatch.worker.infra.PostgresAddress(
                asWorker.jdbcUrl(), "deltawatch", "");
        try (HikariDataSource pool = dev.deltawatch.worker.infra.Database.pool(role, "role-it", 4);
             dev.deltawatch.worker.check.CheckRegistry registry = dev.deltawatch.worker.check.Checks.forFamilies(
                     java.util.Set.copyOf(dev.deltawatch.worker.config.WorkerConfigDef.FAMILIES))) {
            dev.deltawatch.worker.check.CheckContext context;
            try (Connection c = pool.getConnection()) {
                context = new dev.deltawatch.worker.check.CheckContext(dev.deltawatch.worker.check.TargetCatalog
                        .resolve(c, dev.deltawatch.worker.target.ReferenceTarget.config()), pool,
                        java.time.Clock.systemUTC(), null, null, null);
            }
            var runner = new dev.deltawatch.worker.check.CheckRunner(java.time.Clock.systemUTC());
            java.util.List<String> errors = new java.util.ArrayList<>();
            java.util.List<String> severe = new java.util.ArrayList<>();
            for (var check : registry.all()) {
                var e = runner.run(check, context, dev.deltawatch.contracts.CheckScope.all());
                if (e.run().outcome() == dev.deltawatch.contracts.CheckRun.Outcome.ERROR) {
                    errors.add(check.name() + ": " + e.run().error());
                }
                e.findings().stream().filter(f -> f.severity().failsPipeline())
                        .forEach(f -> severe.add(f.severity() + " " + f.title()));
            }
            assertThat(errors).as("checks that could not run as the role").allSatisfy(line ->
                    assertThat(NEED_MORE_THAN_THE_ROLE).contains(line.substring(0, line.indexOf(':'))));
            assertThat(severe).as("BLOCKER/HIGH findings on the clean target, as the role").isEmpty();
        }
        try (Connection c = admin.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pfa_records WHERE organization_id = '__deltawatch_probe__'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("probe rows left behind").isZero();
        }
    }
}
