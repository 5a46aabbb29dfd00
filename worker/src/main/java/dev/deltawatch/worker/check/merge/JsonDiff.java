package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Structural comparison of JSON documents with jsonb's equality: object key order never matters, and numbers
 * compare by value ({@code 1.50} equals {@code 1.5}, {@code 1e3} equals {@code 1000}) because jsonb normalises
 * their text; a string never equals a number ({@code "0"} is not {@code 0}). A Java {@code null} is SQL NULL.
 */
public final class JsonDiff {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * One place where two documents differ.
     *
     * @param path     JSONPath-style, e.g. {@code $.a.b[2]} or {@code $["odd key"]}
     * @param expected the oracle's value there; {@code null} when absent (or SQL NULL at {@code $})
     * @param actual   the database's value there; {@code null} when absent
     */
    public record Difference(String path, JsonNode expected, JsonNode actual) {
        public String describe() {
            return path + ": expected " + describe(expected) + ", actual " + describe(actual);
        }

        private String describe(JsonNode node) {
            return node == null && "$".equals(path) ? "SQL NULL" : render(node);
        }
    }

    private JsonDiff() {}

    public static boolean equal(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        if (a.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!equal(f.getValue(), b.get(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    static boolean containsEqual(JsonNode array, JsonNode element) {
        for (JsonNode e : array) {
            if (equal(e, element)) {
                return true;
            }
        }
        return false;
    }

    /** Up to {@code limit} differences, in document order (object keys sorted), deepest point of difference. */
    public static List<Difference> diff(JsonNode expected, JsonNode actual, int limit) {
        List<Difference> out = new ArrayList<>();
        walk("$", expected, actual, out, limit);
        return out;
    }

    private static void walk(String path, JsonNode expected, JsonNode actual, List<Difference> out, int limit) {
        if (out.size() >= limit || equal(expected, actual)) {
            return;
        }
        if (expected != null && actual != null && expected.isObject() && actual.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                walk(child(path, k), expected.get(k), actual.get(k), out, limit);
            }
            return;
        }
        if (expected != null && actual != null && expected.isArray() && actual.isArray()
                && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                walk(path + "[" + i + "]", expected.get(i), actual.get(i), out, limit);
            }
            return;
        }
        out.add(new Difference(path, expected, actual));
    }

    public static String child(String path, String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return path + "." + key;
        }
        return path + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    /** A short rendering for evidence: long values are cut, absence is spelled out. */
    public static String render(JsonNode node) {
        if (node == null) {
            return "(absent)";
        }
        String text = node.toString();
        return text.length() > 200 ? text.substring(0, 200) + "... (" + text.length() + " chars)" : text;
    }
}
