package dev.deltawatch.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.check.lock.VersionDisciplineCheck;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.testing.TestInfrastructure;
import dev.deltawatch.worker.testing.TestWorkerConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code run} on the delta-table example targets, end to end (capture, route, lock and merge checks, findings topic):
 * scripted edits as users and jobs make them. Only findings caused by the edits (a trigger with an event id) are
 * judged here; the baseline pass at start is the clean-target tests' business.
 */
class ExampleTargetRunIT {

    @Test
    void draftsConcurrentOwnersAndAStaleSaveAreCleanAndAnUnversionedJobWriteIsOneFinding() throws Exception {
        try (Run run = new Run("drafts", ExampleTargets.DRAFTS)) {
            run.execute("INSERT INTO catalog_items (sku, body) VALUES ('SKU-RUN', "
                    + "'{\"title\": \"Laptop\", \"category\": \"Laptops\", \"brand\": \"Acme\"}')");
            run.start();
            run.saveDraft(run.ds.getConnection(), "u-1", "SKU-RUN", "{\"title\": \"One\"}", 0, true);
            run.saveDraft(run.ds.getConnection(), "u-2", "SKU-RUN", "{\"title\": \"Two\"}", 0, true);
            // Two merchandisers save their own drafts of one item at the same time: two documents, no lost update.
            try (Connection a = run.ds.getConnection(); Connection b = run.ds.getConnection()) {
                a.setAutoCommit(false);
                b.setAutoCommit(false);
                assertThat(run.saveDraft(a, "u-1", "SKU-RUN", "{\"price\": 1}", 1, false)).isEqualTo(1);
                assertThat(run.saveDraft(b, "u-2", "SKU-RUN", "{\"price\": 2}", 1, false)).isEqualTo(1);
                a.commit();
                b.commit();
            }
            // u-1 saves again from the version it read first: stale, the statement changes nothing.
            assertThat(run.saveDraft(run.ds.getConnection(), "u-1", "SKU-RUN", "{\"price\": 3}", 1, true)).isZero();
            // A cleanup job rewrites u-2's draft without the version: concurrent editors would not see a conflict.
            run.execute("UPDATE item_drafts SET changes = changes - 'price' WHERE author_id = 'u-2'");
            List<Finding> caused = run.causedFindings(l -> l.stream().anyMatch(
                    f -> VersionDisciplineCheck.RULE_BYPASS.equals(f.rule())));
            assertThat(caused).singleElement().satisfies(f -> {
                assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_BYPASS);
                assertThat(f.status()).isEqualTo(FindingStatus.OPENED);
                // One defect per rule and table (a job rewriting 3,000 drafts is one finding); the record is named
                // among the ones it affects.
                assertThat(f.subject()).isEqualTo(new Subject("version-discipline", "public.catalog_items"));
                assertThat(f.evidence().get(0).content()).contains("public.catalog_items/SKU-RUN / owner u-2");
            });
        }
    }

    @Test
    void overridesTokenSavesAreCleanAndAnEditThatKeepsTheTokenIsOneFinding() throws Exception {
        try (Run run = new Run("overrides", ExampleTargets.OVERRIDES)) {
            run.execute("INSERT INTO content_sources (name, base_url) VALUES ('cms-run', 'https://cms.run')");
            String page = run.one("INSERT INTO content_pages (source, slug, content) VALUES ('cms-run', 'p/run', "
                    + "'{\"title\": \"Run\", \"locale\": \"en-GB\", \"section\": \"products\"}') RETURNING id::text");
            run.start();
            String token = run.one("SELECT save_override(NULL, '" + page + "', '{\"title\": \"Sale\"}')::text");
            String next = run.one("SELECT save_override('" + token + "', '" + page + "', '{\"hero\": null}')::text");
            assertThat(next).isNotEqualTo(token);
            // A stale save with the first token: PF409, nothing written.
            try {
                run.one("SELECT save_override('" + token + "', '" + page + "', '{\"title\": \"Stale\"}')::text");
                throw new AssertionError("a stale save must raise PF409");
            } catch (SQLException e) {
                assertThat(e.getSQLState()).isEqualTo("PF409");
            }
            // A feed sync of the page: every merged document of it is re-checked, nothing is wrong.
            run.execute("UPDATE content_pages SET content = content || '{\"summary\": \"New\"}' WHERE id = '"
                    + page + "'");
            // An editor tool writing the override directly, keeping the token.
            run.execute("UPDATE content_overrides SET patch = patch || '{\"badge\": \"new\"}' WHERE page_id = '"
                    + page + "'");
            List<Finding> caused = run.causedFindings(l -> l.stream().anyMatch(
                    f -> VersionDisciplineCheck.RULE_BYPASS.equals(f.rule())));
            assertThat(caused).singleElement().satisfies(f -> {
                assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_BYPASS);
                assertThat(f.subject()).isEqualTo(new Subject("version-discipline", "public.content_pages"));
                assertThat(f.evidence().get(0).content()).contains("public.content_pages/" + page);
            });
        }
    }

    /** One worker (capture + validate, lock and merge families) on a fresh example target. */
    private static final class Run implements AutoCloseable {
        final HikariDataSource ds;
        final String name;
        final TargetConfig target;
        private WorkerRuntime runtime;

        Run(String prefix, ExampleTarget example) throws SQLException {
            name = prefix + System.nanoTime() % 1_000_000;
            ds = Database.pool(TestInfrastructure.freshDatabase("run_" + name), "test", 8);
            example.install(ds);
            target = example.config();
            CaptureInstaller.install(ds, target, CaptureSettings.defaults().withNames(name, name, name + ".changes",
                    "deltawatch.capture.offsets." + name));
        }

        void start() throws Exception {
            WorkerConfig config = WorkerConfigLoader.parse(TestWorkerConfig.yaml(name, ds.getJdbcUrl(), 0,
                    "lock,merge"), "test", Map.of(), List.of());
            runtime = WorkerRuntime.start(config, target, new PostgresAddress(ds.getJdbcUrl(), "postgres", ""),
                    TestInfrastructure.kafka(), Clock.systemUTC());
            assertThat(runtime.capture().awaitStreaming(Duration.ofSeconds(60))).isTrue();
        }

        /** The drafts service's save (drafts-target.yaml write.statement) with positional parameters. */
        int saveDraft(Connection c, String owner, String sku, String patch, int expected, boolean close)
                throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO item_drafts (author_id, item_sku, changes, version)
                    VALUES (?, ?, CAST(? AS jsonb), 1)
                    ON CONFLICT (author_id, item_sku) DO UPDATE
                       SET changes = item_drafts.changes || EXCLUDED.changes, version = item_drafts.version + 1,
                           updated_at = now()
                     WHERE item_drafts.version = ?""")) {
                ps.setString(1, owner);
                ps.setString(2, sku);
                ps.setString(3, patch);
                ps.setInt(4, expected);
                return ps.executeUpdate();
            } finally {
                if (close) {
                    c.close();
                }
            }
        }

        void execute(String sql) throws SQLException {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        String one(String sql) throws SQLException {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            }
        }

        /**
         * Findings caused by a captured change (not the baseline pass), read until {@code done} holds, then a little
         * longer so a wrong finding arriving just after the expected one is seen too.
         */
        List<Finding> causedFindings(java.util.function.Predicate<List<Finding>> done) throws InterruptedException {
            WorkerRuntimeIT.readUntil(name + ".findings", Finding.class,
                    l -> done.test(l.stream().filter(Run::caused).toList()));
            long settled = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            return WorkerRuntimeIT.readUntil(name + ".findings", Finding.class, l -> System.nanoTime() > settled)
                    .stream().filter(Run::caused).toList();
        }

        private static boolean caused(Finding f) {
            return f.trigger() != null && f.trigger().eventId() != null;
        }

        @Override
        public void close() throws SQLException {
            try {
                if (runtime != null) {
                    runtime.close();
                }
            } finally {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                            + name + "' AND NOT active");
                } finally {
                    ds.close();
                }
            }
        }
    }
}
