package dev.deltawatch.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.check.hygiene.ReplicaIdentityCheck;
import dev.deltawatch.worker.config.TargetConfigLoader;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import dev.deltawatch.worker.testing.TestWorkerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What a running worker sees that no event trigger reports: a planner setting set for the whole database
 * ({@code ALTER DATABASE ... SET}, a global object) re-audits the registered queries in new sessions and the finding
 * names the setting; a watched table losing the {@code REPLICA IDENTITY FULL} capture relies on is noticed by capture
 * and found by {@code hygiene.replica-identity}, naming the table. Each is undone and the finding resolves.
 */
class SessionSettingsCoverageIT {
    private static final String ORG_QUERY = """
              - name: org-by-name
                kind: read
                budgetMs: 500
                sql: SELECT o.id, o.name FROM organizations o WHERE o.name = $1
                params:
                  - [Org 12345]
            """;

    @Test
    void databasePlannerSettingsAndReplicaIdentityChangedWhileRunningAreFoundAndResolved() throws Exception {
        String name = "ss" + System.nanoTime() % 1_000_000;
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("settings_" + name)) {
            TargetConfig target = targetWithOrgQuery();
            CaptureInstaller.install(ds, target, CaptureSettings.defaults().withNames(name, name, name + ".changes",
                    "deltawatch.capture.offsets." + name));
            execute(ds, """
                    INSERT INTO organizations (id, name) SELECT 'O' || g, 'Org ' || g FROM generate_series(1, 20000) g;
                    CREATE INDEX idx_org_name ON organizations (name);
                    ANALYZE organizations""");
            String database = one(ds, "SELECT quote_ident(current_database())");
            String yaml = TestWorkerConfig.yaml(name, ds.getJdbcUrl(), 0, "plan,hygiene")
                    + "  capture.settings.poll.interval.ms: 500\n";
            WorkerConfig config = WorkerConfigLoader.parse(yaml, "test", Map.of(), List.of());
            PostgresAddress pg = new PostgresAddress(ds.getJdbcUrl(), "postgres", "");
            try (WorkerRuntime runtime = WorkerRuntime.start(config, target, pg, TestInfrastructure.kafka(),
                    Clock.systemUTC())) {
                assertThat(runtime.capture().awaitStreaming(Duration.ofSeconds(60))).isTrue();
                // The baseline pass audits the query with its index first: no finding on it.
                WorkerRuntimeIT.readUntil(name + ".check-runs", CheckRun.class, l -> l.stream().anyMatch(r ->
                        r.check().equals("plan.audit") && r.trigger().reason() == Trigger.Reason.SCHEDULE));

                // 1. Index and bitmap scans switched off for every new session of the database.
                execute(ds, "ALTER DATABASE " + database + " SET enable_indexscan = off");
                execute(ds, "ALTER DATABASE " + database + " SET enable_bitmapscan = off");
                // The query's own finding, or the one defect it is grouped in (the index its plan no longer uses).
                Predicate<Finding> orgQuery = f -> f.family().equals("plan")
                        && (f.subject().name().equals("org-by-name") || !f.evidence().isEmpty()
                        && f.evidence().get(0).content().lines().anyMatch("org-by-name"::equals)) && f.trigger() != null
                        && f.trigger().ddlCommand() != null && f.trigger().ddlCommand().startsWith("ALTER DATABASE");
                List<Finding> opened = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class,
                        l -> l.stream().anyMatch(orgQuery.and(f -> f.status() == FindingStatus.OPENED)));
                Finding seqScan = opened.stream().filter(orgQuery.and(f -> f.status() == FindingStatus.OPENED))
                        .findFirst().orElseThrow(() -> new AssertionError("no plan finding after ALTER DATABASE SET: "
                                + opened));
                assertThat(seqScan.trigger().reason()).isEqualTo(Trigger.Reason.SCHEMA_CHANGE);
                assertThat(seqScan.trigger().ddlCommand()).startsWith("ALTER DATABASE " + database + " SET enable_");
                assertThat(seqScan.trigger().ddlCommand()).contains("= off");

                // Undone: the same finding resolves, its trigger naming the RESET.
                execute(ds, "ALTER DATABASE " + database + " RESET enable_indexscan");
                execute(ds, "ALTER DATABASE " + database + " RESET enable_bitmapscan");
                List<Finding> resolved = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class,
                        l -> l.stream().anyMatch(f -> f.fingerprint().equals(seqScan.fingerprint())
                                && f.status() == FindingStatus.RESOLVED));
                assertThat(resolved).filteredOn(f -> f.fingerprint().equals(seqScan.fingerprint())
                        && f.status() == FindingStatus.RESOLVED).anySatisfy(f ->
                        assertThat(f.trigger().ddlCommand()).startsWith("ALTER DATABASE " + database + " RESET enable_"));

                // 2. The watched table loses REPLICA IDENTITY FULL while capture runs.
                execute(ds, "ALTER TABLE pfa_records REPLICA IDENTITY DEFAULT");
                Predicate<Finding> identity = f -> f.rule().equals(ReplicaIdentityCheck.RULE)
                        && f.subject().name().equals("public.pfa_records");
                List<Finding> lost = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class,
                        l -> l.stream().anyMatch(identity.and(f -> f.status() == FindingStatus.OPENED)));
                assertThat(lost).filteredOn(identity.and(f -> f.status() == FindingStatus.OPENED)).anySatisfy(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.HIGH);
                    assertThat(f.title()).contains("public.pfa_records").contains("REPLICA IDENTITY DEFAULT");
                    assertThat(f.trigger().ddlCommand()).contains("ALTER TABLE").contains("pfa_records");
                });
                awaitGaps(runtime, Map.of("public.pfa_records", "DEFAULT"));

                execute(ds, "ALTER TABLE pfa_records REPLICA IDENTITY FULL");
                List<Finding> restored = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class,
                        l -> l.stream().anyMatch(identity.and(f -> f.status() == FindingStatus.RESOLVED)));
                assertThat(restored).anyMatch(identity.and(f -> f.status() == FindingStatus.RESOLVED));
                awaitGaps(runtime, Map.of());
            } finally {
                execute(ds, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                        + name + "' AND NOT active");
            }
        }
    }

    /** Capture's own view of the watched tables' replica identity reaches {@code expected} within seconds. */
    private static void awaitGaps(WorkerRuntime runtime, Map<String, String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!runtime.capture().replicaIdentityGaps().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(runtime.capture().replicaIdentityGaps()).isEqualTo(expected);
    }

    private static TargetConfig targetWithOrgQuery() throws IOException {
        String yaml;
        try (InputStream in = SessionSettingsCoverageIT.class.getResourceAsStream("/" + ReferenceTarget.CONFIG_RESOURCE)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(yaml).contains("\nqueries:\n");
        return TargetConfigLoader.parse(yaml.replace("\nqueries:\n", "\nqueries:\n" + ORG_QUERY), "session-settings");
    }

    private static String one(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
