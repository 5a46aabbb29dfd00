package dev.deltawatch.worker.capture;

/**
 * A captured row that cannot become a change event (a column that is not JSON, a key of a type capture cannot render,
 * a missing or NULL key). Capture parks the record on the dead-letter topic with this message and goes on: one bad
 * row must never stop the engine and hold back the WAL of every change after it.
 */
final class UnmappableChange extends RuntimeException {
    UnmappableChange(String table, String reason) {
        super("capture: a row of " + table + " cannot be mapped: " + reason, null, false, false);
    }
}
