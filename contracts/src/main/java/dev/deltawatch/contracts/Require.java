package dev.deltawatch.contracts;

import java.util.List;
import java.util.Map;

/** Field checks used by record constructors; each message names the field so a reader can fix the producer. */
final class Require {
    private Require() {}

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is required");
        }
        return value;
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is required and must not be blank");
        }
        return value;
    }

    static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    static <K, V> Map<K, V> map(Map<K, V> value) {
        return value == null ? Map.of() : Map.copyOf(value);
    }

    static int version(int value, int supported, String message) {
        if (value < 1 || value > supported) {
            throw new IllegalArgumentException("field 'schemaVersion' of " + message + " is " + value
                    + "; this reader understands 1.." + supported);
        }
        return value;
    }
}
