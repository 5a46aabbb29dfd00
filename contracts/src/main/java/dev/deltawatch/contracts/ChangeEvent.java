package dev.deltawatch.contracts;

import java.time.Instant;

/**
 * One normalized change on the target, as published on {@code deltawatch.changes}.
 *
 * <p>{@code eventId} is unique per change (LSN plus position within it), so consumers can drop the
 * duplicates that at-least-once delivery produces. A {@link Kind#DELTA_ROW} event is a row change of any table of
 * the target's layout (the mirror's table or the delta table): it carries the table, the record key (the mirror's
 * key; on a delta-table row, its reference to the mirror's key), the document owner where deltas are per owner
 * (null otherwise, and null on a mirror-table row, which is part of every document of its record) and the
 * before/after images; a {@link Kind#SCHEMA_CHANGE} carries {@link SchemaChange}.
 *
 * <p>{@code owner} was added within schema version 1: readers that predate it ignore it.
 */
public record ChangeEvent(int schemaVersion, String eventId, Kind kind, String table, String recordKey,
                          String owner, Operation operation, RowImage before, RowImage after, SchemaChange schemaChange,
                          SourcePosition source, Instant capturedAt) {

    public static final int SCHEMA_VERSION = 1;

    public enum Kind { DELTA_ROW, SCHEMA_CHANGE }

    public enum Operation { INSERT, UPDATE, DELETE, SNAPSHOT }

    public ChangeEvent {
        Require.version(schemaVersion, SCHEMA_VERSION, "ChangeEvent");
        Require.text(eventId, "eventId");
        Require.present(kind, "kind");
        Require.present(source, "source");
        Require.present(capturedAt, "capturedAt");
        if (kind == Kind.DELTA_ROW) {
            Require.text(table, "table");
            Require.text(recordKey, "recordKey");
            Require.present(operation, "operation");
        } else {
            Require.present(schemaChange, "schemaChange");
        }
    }

    public static ChangeEvent deltaRow(String eventId, String table, String recordKey, Operation operation,
                                       RowImage before, RowImage after, SourcePosition source, Instant capturedAt) {
        return deltaRow(eventId, table, recordKey, null, operation, before, after, source, capturedAt);
    }

    /** A row change of a document owned by {@code owner} (null without an owner column). */
    public static ChangeEvent deltaRow(String eventId, String table, String recordKey, String owner,
                                       Operation operation, RowImage before, RowImage after, SourcePosition source,
                                       Instant capturedAt) {
        return new ChangeEvent(SCHEMA_VERSION, eventId, Kind.DELTA_ROW, table, recordKey, owner, operation, before,
                after, null, source, capturedAt);
    }

    public static ChangeEvent schemaChange(String eventId, SchemaChange change, SourcePosition source,
                                           Instant capturedAt) {
        return new ChangeEvent(SCHEMA_VERSION, eventId, Kind.SCHEMA_CHANGE, change.tableName(), null, null, null,
                null, null, change, source, capturedAt);
    }

    /** The Kafka key: all changes of one record (or one object) land on one partition, in order. */
    public String partitionKey() {
        return kind == Kind.DELTA_ROW ? table + "/" + recordKey : "ddl/" + schemaChange.objectIdentity();
    }
}
