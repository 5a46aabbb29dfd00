package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.testing.CliRun;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deltawatch capture install | drop-slot | uninstall} against a real database. */
class CaptureInstallIT {
    private static HikariDataSource ds;

    @BeforeAll
    static void target() {
        ds = TestInfrastructure.referenceTarget("capture_install");
    }

    @AfterAll
    static void close() throws SQLException {
        query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                + "WHERE database = current_database()");
        ds.close();
    }

    @Test
    void installCreatesTriggerAuditTableAndPublicationAndIsIdempotent() throws Exception {
        assertThat(run("capture", "install", "--jdbc-url", ds.getJdbcUrl(), "--publication", "dw_install"))
                .contains("EVENT_TRIGGER");
        assertThat(run("capture", "install", "--jdbc-url", ds.getJdbcUrl(), "--publication", "dw_install"))
                .contains("EVENT_TRIGGER");
        assertThat(query("SELECT evtname || ':' || evtevent FROM pg_event_trigger ORDER BY 1"))
                .containsExactly("deltawatch_ddl_end:ddl_command_end", "deltawatch_sql_drop:sql_drop");
        assertThat(query("SELECT schemaname || '.' || tablename FROM pg_publication_tables "
                + "WHERE pubname = 'dw_install' ORDER BY 1"))
                .containsExactly("deltawatch.ddl_audit", "deltawatch.heartbeat", "public.pfa_records");
    }

    @Test
    void userDdlSucceedsEvenWhenTheAuditTableRejectsEveryRow() throws Exception {
        run("capture", "install", "--jdbc-url", ds.getJdbcUrl(), "--publication", "dw_install");
        query("ALTER TABLE deltawatch.ddl_audit ADD CONSTRAINT dw_reject_all CHECK (false) NOT VALID");
        try {
            query("CREATE INDEX idx_dw_survives ON pfa_records (updated_by)");
            assertThat(query("SELECT indexrelid::regclass::text FROM pg_index "
                    + "WHERE indexrelid = 'idx_dw_survives'::regclass")).containsExactly("idx_dw_survives");
        } finally {
            query("ALTER TABLE deltawatch.ddl_audit DROP CONSTRAINT dw_reject_all");
        }
    }

    @Test
    void dropSlotRemovesTheSlotAndSaysSoWhenThereIsNone() throws Exception {
        query("SELECT 1 FROM pg_create_logical_replication_slot('dw_install_slot', 'pgoutput')");
        assertThat(run("capture", "drop-slot", "--jdbc-url", ds.getJdbcUrl(), "--slot", "dw_install_slot"))
                .contains("slot dw_install_slot dropped");
        assertThat(query("SELECT slot_name FROM pg_replication_slots WHERE slot_name = 'dw_install_slot'")).isEmpty();
        assertThat(run("capture", "drop-slot", "--jdbc-url", ds.getJdbcUrl(), "--slot", "dw_install_slot"))
                .contains("does not exist");
    }

    @Test
    void uninstallRemovesTriggerSchemaAndPublication() throws Exception {
        run("capture", "install", "--jdbc-url", ds.getJdbcUrl(), "--publication", "dw_gone");
        assertThat(run("capture", "uninstall", "--jdbc-url", ds.getJdbcUrl(), "--publication", "dw_gone"))
                .contains("uninstalled");
        assertThat(query("SELECT evtname FROM pg_event_trigger")).isEmpty();
        assertThat(query("SELECT nspname FROM pg_namespace WHERE nspname = 'deltawatch'")).isEmpty();
        assertThat(query("SELECT pubname FROM pg_publication WHERE pubname = 'dw_gone'")).isEmpty();
        run("capture", "install", "--jdbc-url", ds.getJdbcUrl(), "--publication", "dw_install"); // for the others
    }

    @Test
    void installWithATargetConfigPublishesEveryTableOfItsLayout(@TempDir Path dir) throws Exception {
        try (HikariDataSource drafts = Database.pool(TestInfrastructure.freshDatabase("capture_install_drafts"),
                "test", 2)) {
            ExampleTargets.DRAFTS.install(drafts);
            Path config = dir.resolve("drafts-target.yaml");
            try (InputStream in = getClass().getResourceAsStream("/drafts-target.yaml")) {
                Files.write(config, in.readAllBytes());
            }
            run("capture", "install", "--jdbc-url", drafts.getJdbcUrl(), "--publication", "dw_drafts",
                    "--target-config", config.toString());
            List<String> published = new ArrayList<>();
            try (Connection c = drafts.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT schemaname || '.' || tablename FROM pg_publication_tables "
                         + "WHERE pubname = 'dw_drafts' ORDER BY 1")) {
                while (rs.next()) {
                    published.add(rs.getString(1));
                }
            }
            // The mirror table too: a PIM sync changes every merged document of its item.
            assertThat(published).containsExactly("deltawatch.ddl_audit", "deltawatch.heartbeat",
                    "public.catalog_items", "public.item_drafts");
        }
    }

    private static String run(String... args) {
        CliRun r = CliRun.run(args);
        assertThat(r.code()).as("exit code of %s; stderr: %s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            if (s.execute(sql)) {
                try (ResultSet rs = s.getResultSet()) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
            }
        }
        return rows;
    }
}
