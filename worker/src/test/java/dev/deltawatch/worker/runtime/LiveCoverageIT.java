package dev.deltawatch.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.config.TargetConfigLoader;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import dev.deltawatch.worker.testing.TestWorkerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * What the running worker sees without being told: a fault already there at start, DDL on a table a registered
 * query reads but capture does not watch, a function the merge function reaches only through another one, and
 * deltawatch's own DDL, which must not reach the dead letters.
 */
class LiveCoverageIT {
    private static final String ORG_QUERY = """
              - name: records-by-org-name
                kind: read
                budgetMs: 200
                sql: >-
                  SELECT r.id FROM pfa_records r JOIN organizations o ON o.id = r.organization_id
                  WHERE o.name = $1 LIMIT 100
                params:
                  - [Org 12345]
            """;

    /** pfa_merge as shipped, except that a plain value goes through pfa_merge_value, which calls pfa_merge_leaf. */
    private static final String MERGE_THROUGH_HELPERS = """
            CREATE FUNCTION pfa_merge_leaf(v jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE
                SET search_path FROM CURRENT AS $$ SELECT v $$;
            CREATE FUNCTION pfa_merge_value(v jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
                SET search_path FROM CURRENT AS $$ BEGIN RETURN pfa_merge_leaf(v); END $$;
            CREATE OR REPLACE FUNCTION pfa_merge(mirror jsonb, delta jsonb) RETURNS jsonb
                LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
                SET search_path FROM CURRENT
            AS $$
            DECLARE
                result jsonb;
                k      text;
                v      jsonb;
            BEGIN
                IF mirror IS NULL THEN
                    mirror := '{}'::jsonb;
                END IF;
                IF delta IS NULL THEN
                    RETURN mirror;
                END IF;
                IF jsonb_typeof(delta) <> 'object' THEN
                    RETURN delta;
                END IF;
                IF jsonb_typeof(mirror) <> 'object' THEN
                    mirror := '{}'::jsonb;
                END IF;
                result := mirror;
                FOR k, v IN SELECT e.key, e.value FROM jsonb_each(delta) AS e LOOP
                    IF jsonb_typeof(v) = 'object' AND jsonb_typeof(result -> k) = 'object' THEN
                        result := result || jsonb_build_object(k, pfa_merge(result -> k, v));
                    ELSE
                        result := result || jsonb_build_object(k, pfa_merge_value(v));
                    END IF;
                END LOOP;
                RETURN result;
            END
            $$""";

    @Test
    void workerFindsWhatWasBrokenBeforeItStartedAndWhatItsChecksDependOnAfterwards() throws Exception {
        String name = "lc" + System.nanoTime() % 1_000_000;
        TargetConfig target = targetWithOrgQuery();
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("live_" + name)) {
            CaptureInstaller.install(ds, target, CaptureSettings.defaults().withNames(name, name, name + ".changes",
                    "deltawatch.capture.offsets." + name));
            execute(ds, MERGE_THROUGH_HELPERS);
            execute(ds, """
                    INSERT INTO organizations (id, name) SELECT 'O' || g, 'Org ' || g FROM generate_series(1, 20000) g;
                    CREATE INDEX idx_org_name ON organizations (name);
                    ANALYZE organizations""");
            execute(ds, resource("/faults/hygiene/01_duplicate_index.sql")); // broken before the worker starts
            String yaml = TestWorkerConfig.yaml(name, ds.getJdbcUrl(), 0)
                    .replace("check.families: lock", "check.families: merge,plan,hygiene");
            WorkerConfig config = WorkerConfigLoader.parse(yaml, "test", Map.of(), List.of());
            PostgresAddress pg = new PostgresAddress(ds.getJdbcUrl(), "postgres", "");
            try (WorkerRuntime runtime = WorkerRuntime.start(config, target, pg, TestInfrastructure.kafka(),
                    Clock.systemUTC())) {
                assertThat(runtime.capture().awaitStreaming(Duration.ofSeconds(60))).isTrue();

                // 1. The baseline pass at start finds the duplicate index: no change event caused it.
                List<Finding> atStart = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class,
                        l -> l.stream().anyMatch(f -> f.subject().toString().contains("idx_pfa_org_category_v2")));
                assertThat(atStart).anySatisfy(f -> {
                    assertThat(f.subject().toString()).contains("idx_pfa_org_category_v2");
                    assertThat(f.status()).isEqualTo(FindingStatus.OPENED);
                    assertThat(f.trigger().reason()).isEqualTo(Trigger.Reason.SCHEDULE);
                });

                // 2. deltawatch's own DDL (the isolation matrix's tables; plan_baselines came with the first audit).
                execute(ds, "CREATE SCHEMA IF NOT EXISTS deltawatch_probe; "
                        + "CREATE TABLE deltawatch_probe.hermitage_lc (id int PRIMARY KEY); "
                        + "DROP TABLE deltawatch_probe.hermitage_lc");

                // 3. An index dropped on organizations, which no watched table is but a registered query reads.
                execute(ds, "DROP INDEX idx_org_name");
                List<Finding> plan = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class,
                        l -> l.stream().anyMatch(LiveCoverageIT::orgQueryFinding));
                assertThat(plan).filteredOn(LiveCoverageIT::orgQueryFinding).anySatisfy(f -> {
                    assertThat(f.status()).isEqualTo(FindingStatus.OPENED);
                    assertThat(f.trigger().reason()).isEqualTo(Trigger.Reason.SCHEMA_CHANGE);
                    assertThat(f.trigger().ddlCommand()).contains("DROP INDEX").contains("idx_org_name");
                });

                // 4. A function two calls below the merge function breaks arrays: the merge battery re-runs.
                execute(ds, "CREATE OR REPLACE FUNCTION pfa_merge_leaf(v jsonb) RETURNS jsonb LANGUAGE sql "
                        + "IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT AS $$ SELECT CASE WHEN "
                        + "jsonb_typeof(v) = 'array' THEN '[]'::jsonb ELSE v END $$");
                List<Finding> merge = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class,
                        l -> l.stream().anyMatch(LiveCoverageIT::leafFinding));
                assertThat(merge).filteredOn(LiveCoverageIT::leafFinding).anySatisfy(f -> {
                    assertThat(f.status()).isEqualTo(FindingStatus.OPENED);
                    assertThat(f.trigger().ddlCommand()).contains("pfa_merge_leaf")
                            .contains("merge function public.pfa_merge depends on it");
                });

                assertThat(recordsOn(name + ".dlq", Duration.ofSeconds(5))).as("dead letters").isZero();
            } finally {
                execute(ds, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                        + name + "' AND NOT active");
            }
        }
    }

    private static boolean orgQueryFinding(Finding f) {
        return f.family().equals("plan") && f.trigger() != null && f.trigger().ddlCommand() != null
                && f.trigger().ddlCommand().contains("idx_org_name");
    }

    private static boolean leafFinding(Finding f) {
        return f.family().equals("merge") && f.trigger() != null && f.trigger().ddlCommand() != null
                && f.trigger().ddlCommand().contains("pfa_merge_leaf");
    }

    private static TargetConfig targetWithOrgQuery() throws IOException {
        String yaml = resource("/" + ReferenceTarget.CONFIG_RESOURCE);
        assertThat(yaml).contains("\nqueries:\n");
        return TargetConfigLoader.parse(yaml.replace("\nqueries:\n", "\nqueries:\n" + ORG_QUERY), "live-coverage");
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = LiveCoverageIT.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void execute(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** How many records {@code topic} holds, read for {@code window} (a topic never written counts zero). */
    private static int recordsOn(String topic, Duration window) {
        int n = 0;
        try (KafkaConsumer<String, byte[]> c = KafkaClients.consumer(TestInfrastructure.kafka(),
                "reader-" + System.nanoTime(), Map.of())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + window.toNanos();
            while (System.nanoTime() < deadline) {
                n += c.poll(Duration.ofMillis(300)).count();
            }
        }
        return n;
    }
}
