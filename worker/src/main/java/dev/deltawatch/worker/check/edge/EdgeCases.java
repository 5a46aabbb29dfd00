package dev.deltawatch.worker.check.edge;

import dev.deltawatch.worker.check.lock.WritePath;
import java.util.List;

/**
 * The adversarial payloads of the DBRE methodology, sent through the write function. {@code patch} is JSON text,
 * or {@code null} for SQL NULL. {@code version} is {@link #CURRENT} (the row's current version) or a value of the
 * wrong type. {@code mustRefuse} marks inputs that may not be stored at all.
 */
final class EdgeCases {
    static final Object CURRENT = new Object();

    record EdgeCase(String name, String patch, Object version, boolean mustRefuse) {}

    private EdgeCases() {}

    static List<EdgeCase> all() {
        return List.of(
                new EdgeCase("null patch", null, CURRENT, false),
                new EdgeCase("JSON null patch", "null", CURRENT, false),
                new EdgeCase("patch with nulls", "{\"notes\": null, \"forecast\": {\"start\": null}, \"tags\": [null]}",
                        CURRENT, false),
                new EdgeCase("1 MB string", "{\"notes\": \"" + "x".repeat(1_000_000) + "\"}", CURRENT, false),
                new EdgeCase("nesting 100 deep", nested(100), CURRENT, false),
                new EdgeCase("emoji, RTL, zero-width", "{\"emoji\": \"\uD83D\uDE80\uD83D\uDCA5\uD83D\uDD25\", "
                        + "\"rtl\": \"\u0645\u0631\u062D\u0628\u0627\", \"zero_width\": \"a\u200Bb\u200Dc\uFEFF\", "
                        + "\"combining\": \"e\u0301\", \"\u200B\": \"zero-width key\"}", CURRENT, false),
                new EdgeCase("\\u0000 in a value", "{\"notes\": \"before\\u0000after\"}", CURRENT, false),
                new EdgeCase("injection strings as values", "{\"name\": \"'; DROP TABLE pfa_records;--\", "
                        + "\"q\": \"\\\" OR 1=1 --\", \"d\": \"$$; SELECT pg_sleep(10); $$\", \"b\": \"\\\\'\"}",
                        CURRENT, false),
                new EdgeCase("injection strings as keys", "{\"'; DROP TABLE pfa_records;--\": 1, "
                        + "\"key\\\" OR \\\"1\\\"=\\\"1\": 2, \"a') || pg_sleep(10) --\": 3}", CURRENT, false),
                new EdgeCase("string \"0\"", "{\"qty\": \"0\"}", CURRENT, false),
                new EdgeCase("number 0", "{\"qty\": 0}", CURRENT, false),
                new EdgeCase("wrong-type version", "{\"notes\": \"wrong version type\"}",
                        new WritePath.UntypedVersion("not-a-version"), true),
                new EdgeCase("fractional version", "{\"notes\": \"fractional version\"}",
                        new WritePath.UntypedVersion("1.5"), true));
    }

    private static String nested(int depth) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            sb.append("{\"d").append(i).append("\": ");
        }
        sb.append("\"deep\"");
        sb.append("}".repeat(depth));
        return sb.toString();
    }
}
