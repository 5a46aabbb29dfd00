package dev.deltawatch.worker.config;

import java.util.List;
import java.util.Locale;

/**
 * One configuration key: its full dotted name, type, default, documentation, and the rule its value obeys.
 * Secret keys are read from the environment only, never from a file, and are masked when logged.
 */
public record ConfigKey(String name, Type type, String defaultValue, String doc, long min, long max,
                        List<String> allowed, boolean secret) {

    public enum Type { STRING, INT, LONG, LIST, BOOLEAN }

    public static ConfigKey string(String name, String defaultValue, String doc) {
        return new ConfigKey(name, Type.STRING, defaultValue, doc, 0, 0, List.of(), false);
    }

    public static ConfigKey secret(String name, String doc) {
        return new ConfigKey(name, Type.STRING, null, doc, 0, 0, List.of(), true);
    }

    public static ConfigKey number(String name, long defaultValue, long min, long max, String doc) {
        return new ConfigKey(name, Type.LONG, Long.toString(defaultValue), doc, min, max, List.of(), false);
    }

    public static ConfigKey list(String name, String defaultValue, List<String> allowed, String doc) {
        return new ConfigKey(name, Type.LIST, defaultValue, doc, 0, 0, List.copyOf(allowed), false);
    }

    public static ConfigKey bool(String name, boolean defaultValue, String doc) {
        return new ConfigKey(name, Type.BOOLEAN, Boolean.toString(defaultValue), doc, 0, 0, List.of(), false);
    }

    /** The environment variable that overrides this key: dots become underscores, upper case. */
    public String envName() {
        return name.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** Null when {@code value} is valid; otherwise the rule it breaks, in Kafka's phrasing. */
    String problem(String value) {
        String invalid = "Invalid value " + (secret ? "(secret)" : value) + " for configuration " + name + ": ";
        switch (type) {
            case LONG, INT -> {
                try {
                    long v = Long.parseLong(value.trim());
                    if (v < min) {
                        return invalid + "must be >= " + min;
                    }
                    if (v > max) {
                        return invalid + "must be <= " + max;
                    }
                } catch (NumberFormatException e) {
                    return invalid + "must be a whole number";
                }
            }
            case BOOLEAN -> {
                if (!value.trim().equalsIgnoreCase("true") && !value.trim().equalsIgnoreCase("false")) {
                    return invalid + "must be true or false";
                }
            }
            case LIST -> {
                for (String item : value.split(",")) {
                    String it = item.trim();
                    if (!allowed.isEmpty() && !allowed.contains(it)) {
                        return invalid + "'" + it + "' is not one of " + allowed;
                    }
                }
            }
            default -> {
                if (value.isBlank()) {
                    return invalid + "must not be blank";
                }
            }
        }
        return null;
    }
}
