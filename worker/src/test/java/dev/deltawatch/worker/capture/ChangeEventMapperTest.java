package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.TargetConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The mapping from Debezium's Connect envelope (as pgoutput produces it) to ChangeEvent. */
class ChangeEventMapperTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private static final Schema SOURCE = SchemaBuilder.struct().field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA)
            .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().optional().field("id", Schema.INT64_SCHEMA)
            .field("mirror_json", Schema.OPTIONAL_STRING_SCHEMA).field("delta_json", Schema.OPTIONAL_STRING_SCHEMA)
            .field("version", Schema.OPTIONAL_INT32_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("before", ROW).field("after", ROW)
            .field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();
    private static final WatchedTable.Columns PFA = new WatchedTable.Columns("pfa_records", "id", null,
            "mirror_json", "delta_json", "version", false);

    @Test
    void unchangedToastedMirrorUnderFullIdentityIsTakenFromTheBeforeImage() {
        ChangeEvent e = mapper(true).map(update(row(7, "{\"deltawatch_probe\": \"p-1\", \"big\": 1}", null, 1),
                row(7, ChangeEventMapper.UNAVAILABLE, "{\"a\": 2}", 2))).orElseThrow();
        assertThat(e.after().mirror().get("deltawatch_probe").asText()).isEqualTo("p-1");
        assertThat(e.after().delta().get("a").asInt()).isEqualTo(2);
        assertThat(e.after().complete()).isTrue();
        assertThat(e.eventId()).isEqualTo("0/16B3748:0");
        assertThat(e.source().commitTime()).isEqualTo(Instant.parse("2026-11-26T09:59:59.123456Z"));
    }

    @Test
    void theMirrorIsCarriedOnlyAsItsProbeTag() {
        ChangeEvent e = mapper(true).map(update(row(7, "{\"category\": \"Cranes\", \"big\": 1}", null, 1),
                row(7, "{\"deltawatch_probe\": 4242, \"category\": \"Cranes\"}", "{\"a\": 2}", 2))).orElseThrow();
        assertThat(e.before().mirror()).as("an untagged mirror").isNull();
        assertThat(e.after().mirror().toString()).isEqualTo("{\"deltawatch_probe\":4242}");
        assertThat(e.before().complete()).isTrue();
        assertThat(e.after().delta().get("a").asInt()).isEqualTo(2);
    }

    @Test
    void tableWithoutFullReplicaIdentityGivesIncompleteImages() {
        ChangeEvent e = mapper(false).map(update(row(7, null, null, null),
                row(7, ChangeEventMapper.UNAVAILABLE, "{\"a\": 2}", 2))).orElseThrow();
        assertThat(e.before().complete()).isFalse();
        assertThat(e.after().complete()).isFalse();
        assertThat(e.after().mirror().asText()).isEqualTo(ChangeEventMapper.UNAVAILABLE);
    }

    @Test
    void replicaIdentityLostWhileRunningMarksLaterImagesIncompleteUntilItIsFullAgain() {
        ChangeEventMapper mapper = mapper(true);
        mapper.replicaIdentity("public.pfa_records", false);
        ChangeEvent lost = mapper.map(update(row(7, null, null, null), row(7, "{}", "{\"a\": 2}", 2))).orElseThrow();
        assertThat(lost.before().complete()).isFalse();
        assertThat(lost.after().complete()).isFalse();
        mapper.replicaIdentity("public.pfa_records", true);
        ChangeEvent back = mapper.map(update(row(7, "{}", "{}", 1), row(7, "{}", "{\"a\": 2}", 2))).orElseThrow();
        assertThat(back.before().complete()).isTrue();
        assertThat(back.after().complete()).isTrue();
    }

    @Test
    void placeholderWithoutABeforeValueMarksTheImageIncomplete() {
        ChangeEvent e = mapper(true).map(update(null, row(7, ChangeEventMapper.UNAVAILABLE, "{}", 2)))
                .orElseThrow();
        assertThat(e.after().complete()).isFalse();
    }

    @Test
    void recordsOfOtherTablesAndHeartbeatsAreSkipped() {
        Struct value = envelope(null, row(1, "{}", null, 1), "public", "organizations");
        assertThat(mapper(true).map(record(value))).isEmpty();
        assertThat(mapper(true).map(new SourceRecord(Map.of(), Map.of(), "__debezium-heartbeat.x", null, null)))
                .isEmpty();
    }

    @Test
    void nonJsonDeltaIsAClearError() {
        assertThatThrownBy(() -> mapper(true).map(update(null, row(7, "{}", "not json", 2))))
                .hasMessageContaining("delta_json");
    }

    private static ChangeEventMapper mapper(boolean full) {
        return new ChangeEventMapper(List.of(new WatchedTable(PFA, "public", "public.pfa_records",
                "public.pfa_records", 1, full)), CLOCK);
    }

    private static SourceRecord update(Struct before, Struct after) {
        return record(envelope(before, after, "public", "pfa_records"));
    }

    private static SourceRecord record(Struct value) {
        return new SourceRecord(Map.of(), Map.of(), "t", ENVELOPE, value);
    }

    private static Struct envelope(Struct before, Struct after, String schema, String table) {
        Struct source = new Struct(SOURCE).put("schema", schema).put("table", table).put("lsn", 0x16B3748L)
                .put("txId", 771L).put("ts_ms", 1_795_687_199_123L).put("ts_us", 1_795_687_199_123_456L);
        return new Struct(ENVELOPE).put("before", before).put("after", after).put("source", source)
                .put("op", before == null ? "c" : "u");
    }

    private static Struct row(long id, String mirror, String delta, Integer version) {
        return new Struct(ROW).put("id", id).put("mirror_json", mirror).put("delta_json", delta)
                .put("version", version);
    }

    private static final Schema DRAFT = SchemaBuilder.struct().optional()
            .field("item_sku", Schema.OPTIONAL_STRING_SCHEMA).field("author_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("changes", Schema.OPTIONAL_STRING_SCHEMA).field("version", Schema.OPTIONAL_INT32_SCHEMA)
            .field("updated_at", Schema.OPTIONAL_STRING_SCHEMA).field("blob", Schema.OPTIONAL_BYTES_SCHEMA).build();
    private static final Schema DRAFT_ENVELOPE = SchemaBuilder.struct().field("before", DRAFT).field("after", DRAFT)
            .field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();

    private static ChangeEventMapper draftMapper(WatchedTable.Columns columns) {
        return new ChangeEventMapper(List.of(new WatchedTable(columns, "public", "public.item_drafts",
                "public.item_drafts", 2, true)), CLOCK);
    }

    private static SourceRecord draftChange(Struct before, Struct after) {
        Struct source = new Struct(SOURCE).put("schema", "public").put("table", "item_drafts").put("lsn", 0x16B3748L)
                .put("txId", 771L).put("ts_ms", 1_795_687_199_123L);
        return new SourceRecord(Map.of(), Map.of(), "t", DRAFT_ENVELOPE, new Struct(DRAFT_ENVELOPE)
                .put("before", before).put("after", after).put("source", source).put("op", before == null ? "c" : "u"));
    }

    private static Struct draftRow(String sku, String author, String changes, Integer version, String updatedAt) {
        return new Struct(DRAFT).put("item_sku", sku).put("author_id", author).put("changes", changes)
                .put("version", version).put("updated_at", updatedAt);
    }

    @Test
    void deltaTableRowNamesItsRecordByTheReferenceColumnAndItsOwner() {
        ChangeEvent e = draftMapper(new WatchedTable.Columns("item_drafts", "item_sku", "author_id", null, "changes",
                "version", false)).map(draftChange(draftRow("SKU-1", "u-7", "{\"a\": 1}", 3, null),
                draftRow("SKU-1", "u-7", "{\"a\": 2}", 4, null))).orElseThrow();
        assertThat(e.recordKey()).isEqualTo("SKU-1");
        assertThat(e.owner()).isEqualTo("u-7");
        assertThat(e.before().version()).isEqualTo(3L);
        assertThat(e.after().version()).isEqualTo(4L);
        assertThat(e.after().mirror()).isNull();
        assertThat(e.after().delta().get("a").asInt()).isEqualTo(2);
    }

    @Test
    void tokenVersionIsCarriedAsText() {
        ChangeEvent e = draftMapper(new WatchedTable.Columns("item_drafts", "item_sku", null, null, "changes",
                "updated_at", true)).map(draftChange(null, draftRow("SKU-1", "u-7", "{}", null,
                "2026-11-26T10:15:30.000001Z"))).orElseThrow();
        assertThat(e.operation()).isEqualTo(ChangeEvent.Operation.INSERT);
        assertThat(e.owner()).isNull();
        assertThat(e.after().version()).isNull();
        assertThat(e.after().versionToken()).isEqualTo("2026-11-26T10:15:30.000001Z");
    }

    @Test
    void nullOrMissingOrUnrenderableKeysAreUnmappableNamingTheColumn() {
        WatchedTable.Columns byOwner = new WatchedTable.Columns("item_drafts", "item_sku", "author_id", null,
                "changes", "version", false);
        assertThatThrownBy(() -> draftMapper(byOwner).map(draftChange(null, draftRow(null, "u-7", "{}", 1, null))))
                .isInstanceOf(UnmappableChange.class).hasMessageContaining("public.item_drafts")
                .hasMessageContaining("record key column item_sku is NULL");
        assertThatThrownBy(() -> draftMapper(new WatchedTable.Columns("item_drafts", "sku", null, null, "changes",
                "version", false)).map(draftChange(null, draftRow("SKU-1", "u-7", "{}", 1, null))))
                .isInstanceOf(UnmappableChange.class).hasMessageContaining("column sku is not in the captured row");
        Struct bytes = draftRow("SKU-1", "u-7", "{}", 1, null).put("blob", new byte[] {1, 2});
        assertThatThrownBy(() -> draftMapper(new WatchedTable.Columns("item_drafts", "blob", null, null, "changes",
                "version", false)).map(draftChange(null, bytes)))
                .isInstanceOf(UnmappableChange.class).hasMessageContaining("cannot render as a key");
    }

    @Test
    void integerVersionColumnHoldingTextIsUnmappableNotACrash() {
        assertThatThrownBy(() -> draftMapper(new WatchedTable.Columns("item_drafts", "item_sku", null, null,
                "changes", "updated_at", false)).map(draftChange(null, draftRow("SKU-1", "u", "{}", 1, "2026-01-01"))))
                .isInstanceOf(UnmappableChange.class).hasMessageContaining("documents.version.kind: token");
    }
}
