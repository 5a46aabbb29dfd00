package dev.deltawatch.worker.capture;

/** How capture learns about DDL, which logical decoding does not carry. */
public enum SchemaMode {
    /** Event trigger when one is installed (the role was a superuser at install), else polling. */
    AUTO,
    /** An event trigger on {@code ddl_command_end} and {@code sql_drop} writes into {@code deltawatch.ddl_audit}. */
    EVENT_TRIGGER,
    /** A catalog fingerprint of the watched tables, their indexes, triggers and the schema's functions, polled. */
    POLLING
}
