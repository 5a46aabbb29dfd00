package dev.deltawatch.worker.check.edge;

import dev.deltawatch.worker.check.lock.WriteOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides whether an error from the write path leaks internals to its caller, and whether it is a clean refusal.
 *
 * <p>Counted as a leak, in message, detail, hint or context: a stack trace (Java, Python), a file path, or SQL
 * text from the function body ({@code SQL statement "..."} in the context, or a statement in the message).
 * Judgement call: the bare context line {@code PL/pgSQL function f(bigint,jsonb,integer) line 33 at RAISE} is NOT
 * counted. PostgreSQL attaches it to every error raised in PL/pgSQL, it names only the signature and a line, and
 * the application layer decides whether to show CONTEXT at all; flagging it would flag every correct function.
 */
final class ErrorLeaks {
    private static final Pattern JAVA_STACK = Pattern.compile("\\bat [\\w.$]+\\([\\w$]+\\.java:\\d+\\)");
    private static final Pattern OTHER_STACK = Pattern.compile("Traceback \\(most recent call last\\)|\\bException in thread\\b");
    private static final Pattern PATH = Pattern.compile("(?:/[\\w.-]+){2,}\\.(?:c|h|sql|java|py|rb|js|ts|go|conf)\\b"
            + "|[A-Za-z]:\\\\[\\w\\\\.-]+");
    private static final Pattern SQL_TEXT = Pattern.compile(
            "\\b(?:UPDATE\\s+\\S+\\s+SET|SELECT\\s.+\\sFROM|INSERT\\s+INTO|DELETE\\s+FROM)\\b", Pattern.DOTALL);

    private ErrorLeaks() {}

    /** What leaks, one reason per kind found; empty when the error is clean. */
    static List<String> leaks(WriteOutcome o) {
        List<String> out = new ArrayList<>();
        String text = String.join("\n", nz(o.message()), nz(o.detail()), nz(o.hint()));
        String all = text + "\n" + nz(o.where());
        if (JAVA_STACK.matcher(all).find() || OTHER_STACK.matcher(all).find()) {
            out.add("a stack trace");
        }
        if (PATH.matcher(all).find()) {
            out.add("a file path");
        }
        if (nz(o.where()).contains("SQL statement \"") || SQL_TEXT.matcher(text).find()) {
            out.add("SQL text of the function body");
        }
        return out;
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

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
