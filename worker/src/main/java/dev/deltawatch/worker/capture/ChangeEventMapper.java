package dev.deltawatch.worker.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.RowImage;
import dev.deltawatch.contracts.SchemaChange;
import dev.deltawatch.contracts.SourcePosition;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one Debezium record (Connect {@link Struct}, pgoutput) into a normalized {@link ChangeEvent}: a
 * {@code DELTA_ROW} for a row of any table of the layout (mirror or delta table; the record key is the mirror's key
 * or the delta table's reference to it, the owner the owner column's value), a {@code SCHEMA_CHANGE} for a row of the DDL audit table, nothing for
 * heartbeats and anything else. Thread-safe.
 *
 * <p>The event id is the change's own WAL position plus a position within it ({@code 0/16B3748:0}): every row
 * change is its own WAL record, and a redelivery after a restart carries the same LSN, so consumers can drop
 * duplicates by it.
 *
 * <p>A row it cannot map throws {@link UnmappableChange} naming the table, the column and why.
 */
public final class ChangeEventMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeEventMapper.class);
    /** Debezium's {@code unavailable.value.placeholder}: an unchanged TOASTed value the WAL did not carry. */
    public static final String UNAVAILABLE = "__debezium_unavailable_value";
    private static final String AUDIT = CaptureInstaller.AUDIT_TABLE;

    private final Map<String, WatchedTable> watched;
    private final Clock clock;
    private final Set<String> warnedTables = ConcurrentHashMap.newKeySet();

    public ChangeEventMapper(List<WatchedTable> tables, Clock clock) {
        this.watched = new ConcurrentHashMap<>(tables.stream()
                .collect(Collectors.toMap(WatchedTable::qualifiedName, Function.identity())));
        this.clock = clock;
        for (WatchedTable t : tables) {
            if (!t.replicaIdentityFull()) {
                incomplete(t.qualifiedName(), "is not REPLICA IDENTITY FULL: before images carry only the key");
            }
        }
    }

    /**
     * A watched table's replica identity changed while capture runs ({@link ReplicaIdentityWatch}): images of its
     * rows mapped from now on are complete only when it is FULL. Thread-safe.
     */
    void replicaIdentity(String qualifiedName, boolean full) {
        watched.computeIfPresent(qualifiedName, (name, t) -> t.replicaIdentityFull() == full ? t
                : new WatchedTable(t.config(), t.schema(), t.qualifiedName(), t.quotedName(), t.oid(), full));
        if (full) {
            warnedTables.remove(qualifiedName); // warn again if it ever loses FULL
        }
    }

    public Optional<ChangeEvent> map(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("source") == null
                || value.schema().field("op") == null) {
            return Optional.empty(); // heartbeats, tombstones, transaction markers
        }
        Struct source = value.getStruct("source");
        String table = source.getString("schema") + "." + source.getString("table");
        SourcePosition position = position(source);
        String eventId = position.lsn() + ":0";
        if (AUDIT.equals(table)) {
            Struct after = value.getStruct("after");
            return after == null ? Optional.empty() : Optional.of(ChangeEvent.schemaChange(eventId,
                    schemaChange(after), position, clock.instant()));
        }
        WatchedTable t = watched.get(table);
        if (t == null) {
            return Optional.empty();
        }
        ChangeEvent.Operation op = switch (value.getString("op")) {
            case "c" -> ChangeEvent.Operation.INSERT;
            case "u" -> ChangeEvent.Operation.UPDATE;
            case "d" -> ChangeEvent.Operation.DELETE;
            default -> ChangeEvent.Operation.SNAPSHOT;
        };
        Struct beforeRow = value.getStruct("before");
        Struct afterRow = value.getStruct("after");
        RowImage before = image(t, beforeRow, null);
        RowImage after = image(t, afterRow, before);
        Struct keyed = afterRow != null ? afterRow : beforeRow;
        if (keyed == null) {
            throw new UnmappableChange(table, "the change carries neither a before nor an after image");
        }
        String key = render(t, keyed, t.config().keyColumn(), "record key");
        if (key == null) {
            throw new UnmappableChange(table, "its record key column " + t.config().keyColumn() + " is NULL"
                    + (afterRow == null && !t.replicaIdentityFull() ? " (a DELETE of a table that is not REPLICA "
                    + "IDENTITY FULL carries only the primary key)" : ""));
        }
        String owner = t.config().ownerColumn() == null ? null : render(t, keyed, t.config().ownerColumn(), "owner");
        return Optional.of(ChangeEvent.deltaRow(eventId, table, key, owner, op, before, after, position,
                clock.instant()));
    }

    private RowImage image(WatchedTable t, Struct row, RowImage before) {
        if (row == null) {
            return null;
        }
        boolean complete = t.replicaIdentityFull();
        JsonNode mirror = probeTag(t, row, t.config().mirrorColumn());
        JsonNode delta = json(t, row, t.config().deltaColumn());
        // An unchanged TOASTed value is not in the WAL; under REPLICA IDENTITY FULL the before image holds it.
        if (isUnavailable(mirror)) {
            mirror = before != null && before.complete() ? before.mirror() : mirror;
        }
        if (isUnavailable(delta)) {
            delta = before != null && before.complete() ? before.delta() : delta;
        }
        if (isUnavailable(mirror) || isUnavailable(delta)) {
            complete = false;
            incomplete(t.qualifiedName(), "sent Debezium's unavailable-value placeholder (a TOASTed value the WAL "
                    + "did not carry): make it REPLICA IDENTITY FULL");
        }
        String column = t.config().versionColumn();
        if (column == null || row.schema().field(column) == null) {
            return new RowImage(mirror, delta, null, null, complete);
        }
        Object version = row.get(column);
        if (t.config().versionToken()) {
            // A token (text, timestamptz, a hash) is compared for change only: any stable text will do.
            return new RowImage(mirror, delta, null, token(version), complete);
        }
        if (version != null && !(version instanceof Number)) {
            throw new UnmappableChange(t.qualifiedName(), "its integer version column " + column + " holds a "
                    + version.getClass().getSimpleName() + ", not a number (declare documents.version.kind: token)");
        }
        return new RowImage(mirror, delta, version == null ? null : ((Number) version).longValue(), null, complete);
    }

    /**
     * A key or owner as text that casts back to the column's type: text, uuid and numeric columns (Debezium sends
     * numerics as strings here), integers and booleans. Anything else (bytea, arrays, Debezium's integer-encoded
     * dates) would name a record that does not exist, so it is refused.
     */
    private static String render(WatchedTable t, Struct row, String column, String what) {
        if (row.schema().field(column) == null) {
            throw new UnmappableChange(t.qualifiedName(), "its " + what + " column " + column
                    + " is not in the captured row (dropped or renamed?)");
        }
        Object value = row.get(column);
        String logical = row.schema().field(column).schema().name();
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if ((value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof Boolean) && logical == null) {
            return value.toString();
        }
        throw new UnmappableChange(t.qualifiedName(), "its " + what + " column " + column + " arrives as "
                + value.getClass().getSimpleName() + (logical == null ? "" : " (" + logical + ")")
                + ", which capture cannot render as a key");
    }

    private static String token(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.nio.ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            return java.util.HexFormat.of().formatHex(bytes);
        }
        if (value instanceof byte[] bytes) {
            return java.util.HexFormat.of().formatHex(bytes);
        }
        return value.toString();
    }

    private static boolean isUnavailable(JsonNode node) {
        return node != null && node.isTextual() && UNAVAILABLE.equals(node.textValue());
    }

    /** JSONB arrives as a JSON-encoded string (or the placeholder, which is not JSON). */
    /**
     * What the event carries of the mirror ({@link RowImage#mirror()}): its lock-probe tag alone, when it has one.
     * The placeholder of an unchanged TOASTed value stays as it is. Only a mirror that names the tag is parsed.
     */
    private static JsonNode probeTag(WatchedTable t, Struct row, String column) {
        String text = text(row, column);
        if (text == null || UNAVAILABLE.equals(text)) {
            return text == null ? null : TextNode.valueOf(UNAVAILABLE);
        }
        if (!text.contains(RowImage.PROBE_TAG)) {
            return null;
        }
        JsonNode mirror = parse(t, column, text);
        return mirror.isObject() && mirror.has(RowImage.PROBE_TAG)
                ? Contracts.mapper().createObjectNode().set(RowImage.PROBE_TAG, mirror.get(RowImage.PROBE_TAG)) : null;
    }

    private static JsonNode json(WatchedTable t, Struct row, String column) {
        String text = text(row, column);
        if (text == null || UNAVAILABLE.equals(text)) {
            return text == null ? null : TextNode.valueOf(UNAVAILABLE);
        }
        return parse(t, column, text);
    }

    /** A column's value as text; null when the row has no such column or it is SQL NULL. */
    private static String text(Struct row, String column) {
        if (column == null || row.schema().field(column) == null) {
            return null;
        }
        Object raw = row.get(column);
        return raw == null ? null : raw.toString();
    }

    private static JsonNode parse(WatchedTable t, String column, String text) {
        try {
            JsonNode node = Contracts.mapper().readTree(text);
            return node == null ? NullNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            throw new UnmappableChange(t.qualifiedName(), "its column " + column + " does not hold JSON ("
                    + e.getOriginalMessage() + ")");
        }
    }

    private void incomplete(String table, String why) {
        if (warnedTables.add(table)) {
            LOG.error("capture: table {} {}; its delta events are marked incomplete and will not be compared",
                    table, why);
        }
    }

    private static SchemaChange schemaChange(Struct audit) {
        if (audit.getString("error") != null) {
            LOG.warn("capture: the DDL audit trigger could not describe {} {}: {}", audit.getString("command_tag"),
                    audit.getString("object_identity"), audit.getString("error"));
        }
        String identity = audit.getString("object_identity");
        String type = audit.getString("object_type");
        return new SchemaChange(audit.getString("command_tag"), type == null ? "unknown" : type,
                identity == null ? "unknown" : identity, audit.getString("schema_name"),
                audit.getString("table_name"), audit.getString("definition_hash"));
    }

    private static SourcePosition position(Struct source) {
        Long lsn = source.getInt64("lsn");
        Object txId = source.get("txId");
        Long tsUs = source.schema().field("ts_us") != null ? source.getInt64("ts_us") : null;
        Instant commit = tsUs != null ? Instant.EPOCH.plusNanos(tsUs * 1000)
                : Instant.ofEpochMilli(source.getInt64("ts_ms"));
        return new SourcePosition(Lsn.format(lsn == null ? 0 : lsn),
                txId == null ? null : ((Number) txId).longValue(), commit);
    }
}
