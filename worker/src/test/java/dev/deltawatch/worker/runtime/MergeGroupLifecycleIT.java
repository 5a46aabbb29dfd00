package dev.deltawatch.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.check.merge.DifferentialMergeCheck;
import dev.deltawatch.worker.check.merge.MergeDefect;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import dev.deltawatch.worker.testing.TestWorkerConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle of a grouped merge finding in the running worker: a broken merge function opens one finding for
 * all the records it breaks; a clean write to another record does not resolve it; redefining the function
 * correctly re-verifies every record at once, so the group resolves without any record being edited. Back to the
 * text of a pass that found every record clean, "every record" is the records changed since: the others merge as
 * they did then.
 */
class MergeGroupLifecycleIT {
    private static final String DIFFERENTIAL = DifferentialMergeCheck.RULE;

    @Test
    void aBrokenMergeFunctionIsOneGroupThatOnlyTheFixResolves() throws Exception {
        String name = "mg" + System.nanoTime() % 1_000_000;
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("merge_group_" + name)) {
            CaptureSettings capture = CaptureSettings.defaults().withNames(name, name, name + ".changes",
                    "deltawatch.capture.offsets." + name);
            CaptureInstaller.install(ds, ReferenceTarget.config(), capture);
            String goodFunction;
            long edited;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                // 40 records without local edits (the fault turns them NULL), 10 with a delta (unaffected).
                s.execute("INSERT INTO pfa_records (organization_id, mirror_json, delta_json) SELECT 'HOLNG', "
                        + "jsonb_build_object('category', 'Cranes', 'n', g), CASE WHEN g > 40 THEN "
                        + "jsonb_build_object('notes', 'edited') END FROM generate_series(1, 50) g");
                ResultSet rs = s.executeQuery("SELECT pg_get_functiondef('pfa_merge(jsonb,jsonb)'::regprocedure), "
                        + "(SELECT min(id) FROM pfa_records WHERE delta_json IS NOT NULL)");
                rs.next();
                goodFunction = rs.getString(1);
                edited = rs.getLong(2);
            }
            WorkerConfig config = WorkerConfigLoader.parse(TestWorkerConfig.yaml(name, ds.getJdbcUrl(), 0, "merge"),
                    "test", Map.of(), List.of());
            PostgresAddress pg = new PostgresAddress(ds.getJdbcUrl(), "postgres", "");
            try (WorkerRuntime runtime = WorkerRuntime.start(config, ReferenceTarget.config(), pg,
                    TestInfrastructure.kafka(), Clock.systemUTC())) {
                assertThat(runtime.capture().awaitStreaming(Duration.ofSeconds(60))).isTrue();
                // The start-up pass, under the good function, finds every record clean.
                WorkerRuntimeIT.readUntil(name + ".check-runs", CheckRun.class, l -> l.stream().anyMatch(r ->
                        r.check().equals("merge.differential") && r.scope().kind() == CheckScope.Kind.ALL
                                && r.outcome() == CheckRun.Outcome.PASSED));
                String fault = new String(MergeGroupLifecycleIT.class.getResourceAsStream(
                        "/faults/merge/05_null_delta_yields_null.sql").readAllBytes(), StandardCharsets.UTF_8);
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute(fault);
                }
                String group = MergeDefect.fingerprint(ReferenceTarget.config().name(), DIFFERENTIAL,
                        "public.pfa_records", List.of(new dev.deltawatch.worker.check.merge.JsonDiff.Difference("$",
                                new com.fasterxml.jackson.databind.ObjectMapper().readTree("{}"), null)));
                List<Finding> opened = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class,
                        l -> l.stream().anyMatch(f -> f.fingerprint().equals(group)));
                List<Finding> differential = opened.stream().filter(f -> f.rule().equals(DIFFERENTIAL)).toList();
                assertThat(differential).as("one finding for the 40 broken records").singleElement().satisfies(f -> {
                    assertThat(f.status()).isEqualTo(FindingStatus.OPENED);
                    assertThat(f.subject().kind()).isEqualTo(MergeDefect.SUBJECT_KIND);
                    assertThat(f.title()).contains("(40 of 50 checked, 80.0%)");
                });

                // A clean write to a record outside the group: its record-scoped run passes, the group stays open.
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT pfa_update_delta(" + edited + ", '{\"notes\":\"clean\"}', 1)");
                }
                WorkerRuntimeIT.readUntil(name + ".check-runs", CheckRun.class, l -> l.stream().anyMatch(r ->
                        r.check().equals("merge.differential") && r.scope().kind() == CheckScope.Kind.RECORDS
                                && r.outcome() == CheckRun.Outcome.PASSED));

                // The fix: the function back to the start-up pass's text. Only the record edited since is verified
                // again, and that run stands for every record: the group resolves.
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute(goodFunction);
                }
                List<Finding> all = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class, l -> l.stream()
                        .anyMatch(f -> f.fingerprint().equals(group) && f.status() == FindingStatus.RESOLVED));
                List<FindingStatus> history = all.stream().filter(f -> f.fingerprint().equals(group))
                        .map(Finding::status).toList();
                // OPENED, then RESOLVED only by the fix: the clean write in between announced nothing.
                assertThat(history).containsExactly(FindingStatus.OPENED, FindingStatus.RESOLVED);
                Finding resolved = all.stream().filter(f -> f.fingerprint().equals(group)
                        && f.status() == FindingStatus.RESOLVED).findFirst().orElseThrow();
                assertThat(resolved.trigger().ddlCommand()).containsIgnoringCase("FUNCTION");
                assertThat(all).filteredOn(f -> f.rule().equals(DIFFERENTIAL)).extracting(Finding::fingerprint)
                        .containsOnly(group);
                List<CheckRun> afterFix = WorkerRuntimeIT.readUntil(name + ".check-runs", CheckRun.class,
                        l -> l.stream().anyMatch(r -> r.check().equals("merge.differential")
                                && r.trigger().ddlCommand() != null && r.outcome() == CheckRun.Outcome.PASSED))
                        .stream().filter(r -> r.check().equals("merge.differential")
                                && r.trigger().ddlCommand() != null).toList();
                assertThat(afterFix).as("the fault's pass reads every record; the fix's, the one edited since")
                        .extracting(r -> r.scope().kind() + " " + r.scope().ids() + " " + r.outcome())
                        .containsExactly("ALL [] FAILED", "RECORDS [" + edited + "] PASSED");
            } finally {
                dropSlot(ds, name);
            }
        }
    }

    /**
     * The same on a target of another shape: uuid keys, the delta in its own table, a token version, a merge
     * function taking the delta first. A shallow merge breaks the pages whose override is nested; the revert to the
     * start-up pass's text verifies only the page whose override was saved since, and every group resolves.
     */
    @Test
    void onTheOverridesTargetTheRevertVerifiesThePagesChangedSinceAndResolvesEveryGroup() throws Exception {
        String name = "mo" + System.nanoTime() % 1_000_000;
        try (HikariDataSource ds = Database.pool(TestInfrastructure.freshDatabase("merge_group_" + name), "test", 8)) {
            ExampleTargets.OVERRIDES.install(ds);
            TargetConfig target = ExampleTargets.OVERRIDES.config();
            CaptureInstaller.install(ds, target, CaptureSettings.defaults().withNames(name, name, name + ".changes",
                    "deltawatch.capture.offsets." + name));
            String goodFunction;
            String savedLater;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO content_sources (name, base_url) VALUES ('cms-mg', 'https://cms.mg')");
                s.execute("INSERT INTO content_pages (source, slug, content) SELECT 'cms-mg', 'p/' || g, "
                        + "jsonb_build_object('title', 'Page ' || g, 'locale', 'en-GB', 'section', 'products', "
                        + "'seo', jsonb_build_object('title', 'T' || g, 'canonical', '/p/' || g)) "
                        + "FROM generate_series(1, 30) g");
                // Ten pages override one field of a nested object: a shallow merge drops the page's others.
                s.execute("INSERT INTO content_overrides (page_id, patch) SELECT id, '{\"seo\": {\"description\": "
                        + "\"Sale\"}}' FROM content_pages WHERE slug IN (SELECT 'p/' || g FROM generate_series(1, 10) g)");
                ResultSet rs = s.executeQuery("SELECT pg_get_functiondef('override_merge(jsonb,jsonb)'::regprocedure), "
                        + "(SELECT id::text FROM content_pages WHERE slug = 'p/30')");
                rs.next();
                goodFunction = rs.getString(1);
                savedLater = rs.getString(2);
            }
            WorkerConfig config = WorkerConfigLoader.parse(TestWorkerConfig.yaml(name, ds.getJdbcUrl(), 0, "merge"),
                    "test", Map.of(), List.of());
            try (WorkerRuntime runtime = WorkerRuntime.start(config, target,
                    new PostgresAddress(ds.getJdbcUrl(), "postgres", ""), TestInfrastructure.kafka(),
                    Clock.systemUTC())) {
                assertThat(runtime.capture().awaitStreaming(Duration.ofSeconds(60))).isTrue();
                WorkerRuntimeIT.readUntil(name + ".check-runs", CheckRun.class, l -> l.stream().anyMatch(r ->
                        r.check().equals("merge.differential") && r.scope().kind() == CheckScope.Kind.ALL
                                && r.outcome() == CheckRun.Outcome.PASSED));
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute(new String(MergeGroupLifecycleIT.class.getResourceAsStream(
                            "/faults/overrides/merge/01_shallow_merge.sql").readAllBytes(), StandardCharsets.UTF_8));
                }
                List<CheckRun> faultPass = WorkerRuntimeIT.readUntil(name + ".check-runs", CheckRun.class,
                        l -> l.stream().anyMatch(r -> r.check().equals("merge.differential")
                                && r.trigger().ddlCommand() != null && r.outcome() == CheckRun.Outcome.FAILED));
                assertThat(faultPass).isNotEmpty();
                List<String> groups = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class,
                        l -> l.stream().anyMatch(f -> f.rule().equals(DIFFERENTIAL))).stream()
                        .filter(f -> f.rule().equals(DIFFERENTIAL) && f.status() == FindingStatus.OPENED)
                        .map(Finding::fingerprint).distinct().toList();
                assertThat(groups).isNotEmpty();

                // A flat override saved through the write path: merged right even by the shallow merge.
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT save_override(NULL, '" + savedLater + "', '{\"badge\": \"new\"}')");
                }
                WorkerRuntimeIT.readUntil(name + ".check-runs", CheckRun.class, l -> l.stream().anyMatch(r ->
                        r.check().equals("merge.differential") && r.scope().kind() == CheckScope.Kind.RECORDS
                                && r.scope().ids().contains(savedLater) && r.outcome() == CheckRun.Outcome.PASSED));

                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute(goodFunction);
                }
                List<Finding> all = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class, l -> groups.stream()
                        .allMatch(g -> l.stream().anyMatch(f -> f.fingerprint().equals(g)
                                && f.status() == FindingStatus.RESOLVED)));
                for (String g : groups) {
                    assertThat(all).filteredOn(f -> f.fingerprint().equals(g)).extracting(Finding::status)
                            .as(g).containsExactly(FindingStatus.OPENED, FindingStatus.RESOLVED);
                }
                List<CheckRun> afterFix = WorkerRuntimeIT.readUntil(name + ".check-runs", CheckRun.class,
                        l -> l.stream().filter(r -> r.check().equals("merge.differential")
                                && r.trigger().ddlCommand() != null && r.outcome() == CheckRun.Outcome.PASSED)
                                .count() == 1).stream().filter(r -> r.check().equals("merge.differential")
                                && r.trigger().ddlCommand() != null).toList();
                assertThat(afterFix).as("the fault's pass reads every page; the revert's, the one saved since")
                        .extracting(r -> r.scope().kind() + " " + r.scope().ids() + " " + r.outcome())
                        .containsExactly("ALL [] FAILED", "RECORDS [" + savedLater + "] PASSED");
            } finally {
                dropSlot(ds, name);
            }
        }
    }

    private static void dropSlot(HikariDataSource ds, String name) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                    + name + "' AND NOT active");
        }
    }
}
