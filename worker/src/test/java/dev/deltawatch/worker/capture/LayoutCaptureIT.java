package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.check.lock.VersionDisciplineCheck;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.publish.DeadLetterWriter;
import dev.deltawatch.worker.route.CheckGroup;
import dev.deltawatch.worker.route.RouteTable;
import dev.deltawatch.worker.route.Work;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Capture on the delta-table example targets, on real PostgreSQL and Kafka: rows of both tables of the layout arrive
 * with their record key, owner and version (integer or token), the passive version check judges them per document
 * (as the router hands them over), and a row capture cannot map goes to the DLQ while capture goes on.
 */
class LayoutCaptureIT {
    /** The drafts service's save, as drafts-target.yaml declares it, with positional parameters. */
    private static final String SAVE_DRAFT = """
            INSERT INTO item_drafts (author_id, item_sku, changes, version) VALUES (?, ?, CAST(? AS jsonb), 1)
            ON CONFLICT (author_id, item_sku) DO UPDATE
               SET changes = item_drafts.changes || EXCLUDED.changes, version = item_drafts.version + 1,
                   updated_at = now()
             WHERE item_drafts.version = ?""";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static CaptureFixture drafts;
    private static CaptureFixture overrides;

    @BeforeAll
    static void start() throws Exception {
        drafts = new CaptureFixture("layout_drafts", ExampleTargets.DRAFTS);
        overrides = new CaptureFixture("layout_overrides", ExampleTargets.OVERRIDES);
        drafts.startCapture();
        overrides.startCapture();
    }

    @AfterAll
    static void stop() throws Exception {
        if (drafts != null) {
            drafts.close();
        }
        if (overrides != null) {
            overrides.close();
        }
    }

    @Test
    void draftsCapturePublishesDraftAndMirrorRowsWithRecordKeyOwnerAndVersion() throws Exception {
        item("SKU-A");
        assertThat(save("u-1", "SKU-A", "{\"title\": \"Draft\"}", 0)).isEqualTo(1);
        assertThat(save("u-1", "SKU-A", "{\"price\": 9}", 1)).isEqualTo(1);
        drafts.execute("UPDATE catalog_items SET body = body || '{\"brand\": \"Acme\"}' WHERE sku = 'SKU-A'");
        drafts.execute("DELETE FROM item_drafts WHERE author_id = 'u-1' AND item_sku = 'SKU-A'");
        try (TopicReader reader = new TopicReader(drafts.settings.topic())) {
            ChangeEvent created = reader.await(row("public.item_drafts", "SKU-A", ChangeEvent.Operation.INSERT), WAIT,
                    "first draft of SKU-A");
            assertThat(created.owner()).isEqualTo("u-1");
            assertThat(created.before()).isNull();
            assertThat(created.after().version()).isEqualTo(1L);
            assertThat(created.after().delta().get("title").asText()).isEqualTo("Draft");
            assertThat(created.after().mirror()).isNull();
            ChangeEvent saved = reader.await(row("public.item_drafts", "SKU-A", ChangeEvent.Operation.UPDATE), WAIT,
                    "second save of SKU-A");
            assertThat(saved.owner()).isEqualTo("u-1");
            assertThat(saved.before().version()).isEqualTo(1L);
            assertThat(saved.after().version()).isEqualTo(2L);
            assertThat(saved.after().complete()).isTrue();
            ChangeEvent synced = reader.await(row("public.catalog_items", "SKU-A", ChangeEvent.Operation.UPDATE),
                    WAIT, "PIM sync of SKU-A");
            assertThat(synced.owner()).isNull();
            assertThat(synced.after().mirror()).as("the mirror is not carried (no probe tag)").isNull();
            assertThat(synced.after().delta()).isNull();
            assertThat(synced.after().version()).isNull();
            ChangeEvent deleted = reader.await(row("public.item_drafts", "SKU-A", ChangeEvent.Operation.DELETE), WAIT,
                    "published draft of SKU-A");
            assertThat(deleted.owner()).isEqualTo("u-1");
            assertThat(deleted.after()).isNull();
            // Every one of them is routed to the merge checks of record SKU-A.
            RouteTable routes = new RouteTable(drafts.target);
            for (ChangeEvent e : List.of(created, saved, synced, deleted)) {
                assertThat(routes.route(e)).extracting(Work::group).as(e.operation() + " " + e.table())
                        .contains(CheckGroup.MERGE_RECORDS);
            }
        }
    }

    @Test
    void unversionedApplicationWriteIsABypassFindingOnThatDocumentOnly() throws Exception {
        item("SKU-C");
        save("u-2", "SKU-C", "{\"title\": \"Mine\"}", 0);
        save("u-5", "SKU-C", "{\"title\": \"Theirs\"}", 0);
        save("u-5", "SKU-C", "{\"price\": 1}", 1);
        // A maintenance job fixing drafts by hand: the version stays, so an editor holding version 1 would not notice.
        drafts.execute("UPDATE item_drafts SET changes = changes || '{\"fixed\": true}' "
                + "WHERE author_id = 'u-2' AND item_sku = 'SKU-C'");
        List<CheckResult> results = judge(drafts, "SKU-C", 5);
        assertThat(results.stream().filter(CheckResult::failed)).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_BYPASS);
            assertThat(f.subject().name()).isEqualTo("public.catalog_items/SKU-C / owner u-2");
            assertThat(f.finding().evidence().get(0).content()).contains("record SKU-C / owner u-2",
                    "version stayed 1");
        });
        assertThat(results).extracting(r -> r.subject().name()).contains("public.catalog_items/SKU-C / owner u-5");
    }

    @Test
    void concurrentSavesOfTwoOwnersOnOneRecordAreNotALostUpdate() throws Exception {
        item("SKU-D");
        save("u-3", "SKU-D", "{\"title\": \"Three\"}", 0);
        save("u-4", "SKU-D", "{\"title\": \"Four\"}", 0);
        try (Connection a = drafts.ds.getConnection(); Connection b = drafts.ds.getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            assertThat(save(a, "u-3", "SKU-D", "{\"price\": 3}", 1)).isEqualTo(1);
            assertThat(save(b, "u-4", "SKU-D", "{\"price\": 4}", 1)).isEqualTo(1);
            a.commit();
            b.commit();
        }
        // A stale save (u-3 still at version 1) changes nothing: the service answers 409, capture sees no row.
        assertThat(save("u-3", "SKU-D", "{\"price\": 33}", 1)).isZero();
        List<CheckResult> results = judge(drafts, "SKU-D", 5);
        assertThat(results.stream().filter(CheckResult::failed)).isEmpty();
        assertThat(results).extracting(r -> r.subject().name()).containsOnly(
                "public.catalog_items/SKU-D / owner u-3", "public.catalog_items/SKU-D / owner u-4");
    }

    @Test
    void unmappableRowGoesToTheDeadLetterTopicWithItsReasonAndCaptureGoesOn() throws Exception {
        item("SKU-E");
        // Schema drift: drafts may now lack their item. Such a row names no document, so capture cannot map it.
        drafts.execute("ALTER TABLE item_drafts ALTER COLUMN item_sku DROP NOT NULL");
        drafts.execute("INSERT INTO item_drafts (author_id, item_sku, changes) VALUES ('u-orphan', NULL, '{}')");
        save("u-6", "SKU-E", "{\"title\": \"After\"}", 0);
        try (TopicReader reader = new TopicReader(drafts.settings.topic())) {
            ChangeEvent later = reader.await(row("public.item_drafts", "SKU-E", ChangeEvent.Operation.INSERT), WAIT,
                    "the good save after the bad row");
            assertThat(later.owner()).isEqualTo("u-6");
        }
        ConsumerRecord<String, byte[]> parked = firstRecord(drafts.settings.deadLetterTopic());
        assertThat(header(parked, DeadLetterWriter.REASON)).contains("public.item_drafts",
                "record key column item_sku is NULL");
        assertThat(header(parked, DeadLetterWriter.SOURCE_OFFSET)).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(new String(parked.value(), StandardCharsets.UTF_8)).contains("u-orphan");
        assertThat(drafts.capture().state()).isEqualTo(ChangeCapture.State.ACTIVE);
        assertThat(drafts.capture().deadLettered()).isEqualTo(1);
    }

    @Test
    void overridesCaptureCarriesTheTokenAndATokenThatStaysOnAnEditIsABypass() throws Exception {
        String page = page("products/token");
        String first = token("SELECT save_override(NULL, CAST(? AS uuid), '{\"title\": \"Sale\"}')::text", page);
        String second = token("SELECT save_override(CAST(? AS timestamptz), CAST(? AS uuid), '{\"hero\": null}')::text",
                first, page);
        overrides.execute("UPDATE content_overrides SET patch = patch || '{\"banner\": \"x\"}' WHERE page_id = '"
                + page + "'");
        overrides.execute("UPDATE content_pages SET content = content || '{\"section\": \"deals\"}' WHERE id = '"
                + page + "'");
        try (TopicReader reader = new TopicReader(overrides.settings.topic())) {
            ChangeEvent created = reader.await(row("public.content_overrides", page, ChangeEvent.Operation.INSERT),
                    WAIT, "first override of the page");
            assertThat(created.owner()).isNull();
            assertThat(created.after().version()).isNull();
            assertThat(created.after().versionToken()).isNotBlank();
            ChangeEvent saved = reader.await(row("public.content_overrides", page, ChangeEvent.Operation.UPDATE),
                    WAIT, "second save");
            assertThat(saved.before().versionToken()).isEqualTo(created.after().versionToken());
            assertThat(saved.after().versionToken()).isNotEqualTo(saved.before().versionToken());
            ChangeEvent synced = reader.await(row("public.content_pages", page, ChangeEvent.Operation.UPDATE), WAIT,
                    "feed sync of the page");
            assertThat(synced.after().mirror()).as("the mirror is not carried (no probe tag)").isNull();
        }
        assertThat(first).isNotEqualTo(second);
        List<CheckResult> results = judge(overrides, page, 5);
        assertThat(results.stream().filter(CheckResult::failed)).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(VersionDisciplineCheck.RULE_BYPASS);
            assertThat(f.subject().name()).isEqualTo("public.content_pages/" + page);
            assertThat(f.finding().evidence().get(0).content()).contains("version token stayed");
        });
    }

    /**
     * Reads the record's events until {@code count} of them arrived, hands them to the passive check the way the
     * router does (only VERSION_PASSIVE work carries events) and returns its results.
     */
    private static List<CheckResult> judge(CaptureFixture f, String record, int count) throws Exception {
        RouteTable routes = new RouteTable(f.target);
        List<ChangeEvent> passive = new ArrayList<>();
        try (TopicReader reader = new TopicReader(f.settings.topic())) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<ChangeEvent> mine = List.of();
            while (mine.size() < count && System.nanoTime() < deadline) {
                reader.awaitCount(reader.seen().size() + 1, Duration.ofSeconds(1));
                mine = reader.seen().stream().filter(e -> record.equals(e.recordKey())).toList();
            }
            assertThat(mine).as("events of record " + record).hasSizeGreaterThanOrEqualTo(count);
            for (ChangeEvent e : mine) {
                routes.route(e).stream().filter(w -> w.group() == CheckGroup.VERSION_PASSIVE)
                        .forEach(w -> passive.addAll(w.events()));
            }
        }
        CheckContext context;
        try (Connection c = f.ds.getConnection()) {
            context = new CheckContext(TargetCatalog.resolve(c, f.target), f.ds, Clock.systemUTC(), null, null, null);
        }
        return new VersionDisciplineCheck(1000, Duration.ofHours(1)).evaluate(context, passive);
    }

    private static Predicate<ChangeEvent> row(String table, String key, ChangeEvent.Operation op) {
        return e -> e.kind() == ChangeEvent.Kind.DELTA_ROW && table.equals(e.table()) && key.equals(e.recordKey())
                && e.operation() == op;
    }

    private static void item(String sku) throws SQLException {
        drafts.execute("INSERT INTO catalog_items (sku, body) VALUES ('" + sku + "', '{\"title\": \"" + sku
                + "\", \"category\": \"Laptops\"}')");
    }

    private static int save(String owner, String sku, String patch, int expected) throws SQLException {
        try (Connection c = drafts.ds.getConnection()) {
            return save(c, owner, sku, patch, expected);
        }
    }

    private static int save(Connection c, String owner, String sku, String patch, int expected) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SAVE_DRAFT)) {
            ps.setString(1, owner);
            ps.setString(2, sku);
            ps.setString(3, patch);
            ps.setInt(4, expected);
            return ps.executeUpdate();
        }
    }

    private static String page(String slug) throws SQLException {
        overrides.execute("INSERT INTO content_sources (name, base_url) VALUES ('cms-test', 'https://cms.test') "
                + "ON CONFLICT DO NOTHING");
        return token("INSERT INTO content_pages (source, slug, content) VALUES ('cms-test', ?, "
                + "'{\"title\": \"Page\", \"locale\": \"en-GB\"}') RETURNING id::text", slug);
    }

    private static String token(String sql, String... params) throws SQLException {
        try (Connection c = overrides.ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static ConsumerRecord<String, byte[]> firstRecord(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(TestInfrastructure.kafka(),
                "test-" + UUID.randomUUID(), Map.of())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    return r;
                }
            }
        }
        throw new AssertionError("nothing on " + topic + " within " + WAIT);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        var h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
