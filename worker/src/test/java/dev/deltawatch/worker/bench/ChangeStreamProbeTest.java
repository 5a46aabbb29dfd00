package dev.deltawatch.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.RowImage;
import dev.deltawatch.contracts.SchemaChange;
import dev.deltawatch.contracts.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChangeStreamProbeTest {
    private static final SourcePosition AT = new SourcePosition("0/16B3748", 7L, Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void countsDeltaRowsWithoutDecodingThem() {
        // The images may hold a "kind" of their own: only the event's top-level field counts.
        RowImage image = new RowImage(Contracts.mapper().createObjectNode().put("kind", "SCHEMA_CHANGE"),
                TextNode.valueOf("x"), 2L, true);
        byte[] delta = Contracts.encode(ChangeEvent.deltaRow("0/16B3748:0", "public.pfa_records", "3",
                ChangeEvent.Operation.UPDATE, image, image, AT, Instant.now()));
        byte[] ddl = Contracts.encode(ChangeEvent.schemaChange("0/16B3750:0", new SchemaChange("ALTER TABLE",
                "table", "public.pfa_records", "public", "pfa_records", "abc"), AT, Instant.now()));

        assertThat(ChangeStreamProbe.isDeltaRow(delta)).isTrue();
        assertThat(ChangeStreamProbe.isDeltaRow(ddl)).isFalse();
        assertThatThrownBy(() -> ChangeStreamProbe.isDeltaRow("not json".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not JSON");
    }
}
