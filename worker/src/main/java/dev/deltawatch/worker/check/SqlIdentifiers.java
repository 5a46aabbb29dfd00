package dev.deltawatch.worker.check;

/** Quoting of identifiers that were already checked against the catalog. Values are always bound, never quoted. */
public final class SqlIdentifiers {
    private SqlIdentifiers() {}

    /** {@code name} as a quoted identifier: {@code a"b} becomes {@code "a""b"}. */
    public static String quote(String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not an identifier: " + name);
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }
}
