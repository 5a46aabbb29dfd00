package dev.deltawatch.worker.check.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.worker.check.lock.WriteOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether an error from the write path leaks internals to its caller, and whether it is a clean refusal.
 *
 * <p>Counted as a leak, anywhere in message, detail, hint or context: a stack trace (Java, Python); a file path
 * (one with a source or config extension, an absolute path three directories deep, or one of the server's own
 * locations); the caller's statement text ({@code current_query()}: the probe's call of the write function); SQL
 * text of a function body ({@code SQL statement "..."} in the context, a statement in the other fields, or a line
 * of a function body of the target schema); the probe session's backend pid; its role names (session and current
 * user). Known values ({@link ProbeInternals}) are matched as whole words.
 *
 * <p>The probe's own payload echoed back ("invalid value '...'") is not a leak: its strings are blanked out of
 * the error before matching, so an injection string that spells {@code SELECT ... FROM} is not taken for the
 * function's SQL. The statement text is still a leak, since it is the server's text, not the payload.
 *
 * <p>Judgement call: the bare context line {@code PL/pgSQL function f(bigint,jsonb,integer) line 33 at RAISE} is NOT
 * counted. PostgreSQL attaches it to every error raised in PL/pgSQL, it names only the signature and a line, and
 * the application layer decides whether to show CONTEXT at all; flagging it would flag every correct function.
 */
final class ErrorLeaks {
    static final String STACK = "a stack trace";
    static final String PATH = "a file path";
    static final String STATEMENT = "the caller's statement text";
    static final String BODY = "SQL text of the function body";
    static final String PID = "the backend pid";
    static final String ROLE = "a role name";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JAVA_STACK = Pattern.compile("\\bat [\\w.$]+\\([\\w$]+\\.java:\\d+\\)");
    private static final Pattern OTHER_STACK = Pattern.compile("Traceback \\(most recent call last\\)|\\bException in thread\\b");
    private static final Pattern FILE_PATH = Pattern.compile("(?:/[\\w.-]+){2,}\\.(?:c|h|sql|java|py|rb|js|ts|go|conf)\\b"
            + "|[A-Za-z]:\\\\[\\w\\\\.-]+|(?<![\\w.:/])(?:/[\\w.-]+){3,}/?");
    private static final Pattern SQL_TEXT = Pattern.compile(
            "\\b(?:UPDATE\\s+\\S+\\s+SET|SELECT\\s.+\\sFROM|INSERT\\s+INTO|DELETE\\s+FROM)\\b", Pattern.DOTALL);

    /** One leak: what kind, in which field of the error, and the excerpt that shows it. */
    record Leak(String kind, String field, String excerpt) {
        String describe() {
            return kind + " in the " + field + ": " + excerpt;
        }
    }

    private ErrorLeaks() {}

    /** What leaks, the first excerpt per kind; empty when the error is clean. {@code patch} is what was sent. */
    static List<Leak> leaks(WriteOutcome o, ProbeInternals internals, String patch) {
        Map<String, Leak> found = new LinkedHashMap<>();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("message", o.message());
        fields.put("detail", o.detail());
        fields.put("hint", o.hint());
        fields.put("context", o.where());
        List<String> echoed = payloadStrings(patch);
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (f.getValue() == null || f.getValue().isEmpty()) {
                continue;
            }
            String field = f.getKey();
            String raw = f.getValue();
            // The statement is the server's text even where it carries the payload, so it is judged before blanking.
            find(found, STATEMENT, field, raw, statementPattern(internals.function()));
            String text = blank(raw, echoed);
            find(found, STACK, field, text, JAVA_STACK);
            find(found, STACK, field, text, OTHER_STACK);
            find(found, PATH, field, text, FILE_PATH);
            internals.paths().forEach(p -> find(found, PATH, field, text, literal(p)));
            if ("context".equals(field)) {
                find(found, BODY, field, text, Pattern.compile("SQL statement \"[^\"]*"));
            } else {
                find(found, BODY, field, text, SQL_TEXT);
            }
            String collapsed = collapse(text);
            internals.bodyLines().stream().filter(collapsed::contains).findFirst()
                    .ifPresent(l -> found.putIfAbsent(BODY, new Leak(BODY, field, excerpt(l, 0, l.length()))));
            find(found, PID, field, text, word(Integer.toString(internals.backendPid())));
            internals.roles().stream().filter(r -> r != null && r.length() >= 3)
                    .forEach(r -> find(found, ROLE, field, text, word(r)));
        }
        return new ArrayList<>(found.values());
    }

    /**
     * A clean refusal is a data, integrity, privilege or application-raised error; a crash-like class (internal
     * error, resources, program limits, cancellation, system) is not.
     */
    static boolean cleanRefusal(WriteOutcome o) {
        String s = o.sqlState();
        return s != null && !(s.startsWith("XX") || s.startsWith("53") || s.startsWith("54") || s.startsWith("57")
                || s.startsWith("58") || s.startsWith("08"));
    }

    static String collapse(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    private static void find(Map<String, Leak> found, String kind, String field, String text, Pattern p) {
        if (found.containsKey(kind)) {
            return;
        }
        Matcher m = p.matcher(text);
        if (m.find()) {
            found.put(kind, new Leak(kind, field, excerpt(text, m.start(), m.end())));
        }
    }

    /** The match with a little context either side, on one line, at most ~200 characters. */
    private static String excerpt(String text, int start, int end) {
        int from = Math.max(0, start - 40);
        int to = Math.min(text.length(), Math.min(end, start + 120) + 40);
        return (from > 0 ? "…" : "") + collapse(text.substring(from, to)) + (to < text.length() ? "…" : "");
    }

    /** {@code SELECT [schema.]function(}: how the probe's call, and so {@code current_query()}, begins. */
    private static Pattern statementPattern(String function) {
        String name = function.contains(".") ? function.substring(function.lastIndexOf('.') + 1) : function;
        return Pattern.compile("\\bSELECT\\s+(?:\\S+\\.)?" + Pattern.quote(name) + "\\s*\\(",
                Pattern.CASE_INSENSITIVE);
    }

    private static Pattern word(String value) {
        return Pattern.compile("(?<![\\w$])" + Pattern.quote(value) + "(?![\\w$])");
    }

    private static Pattern literal(String value) {
        return Pattern.compile(Pattern.quote(value));
    }

    /** The text the probe sent that an error may quote back: the patch itself, its keys and string values. */
    static List<String> payloadStrings(String patch) {
        List<String> out = new ArrayList<>();
        if (patch == null) {
            return out;
        }
        out.add(patch);
        try {
            collect(JSON.readTree(patch), out);
            out.add(JSON.readTree(patch).toString());
        } catch (Exception e) {
            // Not JSON: only the raw text can be echoed.
        }
        out.removeIf(s -> s.length() < 8); // shorter ones (keys like "name") are no SQL, path or stack trace
        out.sort(Comparator.comparingInt(String::length).reversed());
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(e.getKey());
            collect(e.getValue(), out);
        }
        if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }

    /** {@code text} with every echoed payload string replaced by a marker that matches no pattern. */
    private static String blank(String text, List<String> echoed) {
        String out = text;
        for (String s : echoed) {
            out = out.replace(s, "\u2026payload\u2026");
            out = out.replace(s.toLowerCase(Locale.ROOT), "\u2026payload\u2026");
        }
        return out;
    }
}
