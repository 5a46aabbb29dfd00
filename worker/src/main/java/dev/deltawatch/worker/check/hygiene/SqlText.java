package dev.deltawatch.worker.check.hygiene;

import java.util.ArrayList;
import java.util.List;

/**
 * A small lexer for PostgreSQL statement text: it knows string literals ({@code '...'}, {@code E'...'}),
 * quoted identifiers, dollar-quoted strings ({@code $tag$...$tag$}) and comments ({@code --}, nested
 * {@code /* *}{@code /}), so that parameter markers and semicolons are only recognised outside them.
 *
 * <p>Registered queries use PostgreSQL's {@code $1..$n}; pgjdbc binds only {@code ?}. {@link #toJdbc} rewrites
 * each {@code $n} into one {@code ?} and records which sample value goes there, so a repeated or out-of-order
 * {@code $n} is expanded into as many binds as occurrences. A literal {@code ?} (the jsonb operators) is doubled,
 * which is pgjdbc's escape. Values are always bound, never spliced into the text.
 */
final class SqlText {
    private SqlText() {}

    /** A statement rewritten for JDBC: {@code parameterOrder.get(k)} is the 1-based {@code $n} of the k-th {@code ?}. */
    record Jdbc(String sql, List<Integer> parameterOrder) {
        int highestParameter() {
            return parameterOrder.stream().mapToInt(Integer::intValue).max().orElse(0);
        }
    }

    static Jdbc toJdbc(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 8);
        List<Integer> order = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char ch = sql.charAt(i);
            int next = skipNonCode(sql, i);
            if (next > i) {
                out.append(sql, i, next);
                i = next;
            } else if (ch == '$' && i + 1 < sql.length() && Character.isDigit(sql.charAt(i + 1))
                    && (i == 0 || !isIdentifierChar(sql.charAt(i - 1)))) {
                int end = i + 1;
                while (end < sql.length() && Character.isDigit(sql.charAt(end))) {
                    end++;
                }
                order.add(Integer.parseInt(sql.substring(i + 1, end)));
                out.append('?');
                i = end;
            } else if (ch == '?') {
                out.append("??");
                i++;
            } else if (ch == ';') {
                if (!sql.substring(i + 1).isBlank() && !onlyComments(sql.substring(i + 1))) {
                    throw new IllegalArgumentException("a registered query must be a single statement; found text "
                            + "after the ';' at offset " + i);
                }
                i = sql.length();
            } else {
                out.append(ch);
                i++;
            }
        }
        return new Jdbc(out.toString(), List.copyOf(order));
    }

    /** If a literal, quoted identifier, dollar-quoted string or comment starts at {@code i}, the index after it. */
    static int skipNonCode(String s, int i) {
        char ch = s.charAt(i);
        if (ch == '\'') {
            boolean escapes = i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e')
                    && (i < 2 || !isIdentifierChar(s.charAt(i - 2)));
            return skipQuoted(s, i, '\'', escapes);
        }
        if (ch == '"') {
            return skipQuoted(s, i, '"', false);
        }
        if (ch == '-' && i + 1 < s.length() && s.charAt(i + 1) == '-') {
            int end = s.indexOf('\n', i);
            return end < 0 ? s.length() : end;
        }
        if (ch == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
            return skipBlockComment(s, i);
        }
        if (ch == '$' && (i == 0 || !isIdentifierChar(s.charAt(i - 1)))) {
            int tagEnd = dollarTagEnd(s, i);
            if (tagEnd > 0) {
                String tag = s.substring(i, tagEnd);
                int close = s.indexOf(tag, tagEnd);
                return close < 0 ? s.length() : close + tag.length();
            }
        }
        return i;
    }

    /** The index after a quoted run starting at {@code i}; a doubled quote continues it. */
    static int skipQuoted(String s, int i, char quote, boolean backslashEscapes) {
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (backslashEscapes && c == '\\') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < s.length() && s.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return s.length();
    }

    /** The index after a (nested) block comment starting at {@code i}. */
    static int skipBlockComment(String s, int i) {
        int depth = 0;
        int j = i;
        while (j < s.length()) {
            if (s.startsWith("/*", j)) {
                depth++;
                j += 2;
            } else if (s.startsWith("*/", j)) {
                depth--;
                j += 2;
                if (depth == 0) {
                    return j;
                }
            } else {
                j++;
            }
        }
        return s.length();
    }

    /** For {@code $tag$} or {@code $$} at {@code i}, the index after the tag; -1 when it is not a tag. */
    private static int dollarTagEnd(String s, int i) {
        int j = i + 1;
        if (j < s.length() && Character.isDigit(s.charAt(j))) {
            return -1;
        }
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        return j < s.length() && s.charAt(j) == '$' ? j + 1 : -1;
    }

    private static boolean onlyComments(String rest) {
        int i = 0;
        while (i < rest.length()) {
            if (Character.isWhitespace(rest.charAt(i))) {
                i++;
            } else if (rest.startsWith("--", i) || rest.startsWith("/*", i)) {
                i = skipNonCode(rest, i);
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** Splits a script into statements at top-level semicolons (used to apply migrations one statement at a time). */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < script.length()) {
            int next = skipNonCode(script, i);
            if (next > i) {
                i = next;
            } else if (script.charAt(i) == ';') {
                addIfCode(out, script.substring(start, i));
                start = ++i;
            } else {
                i++;
            }
        }
        addIfCode(out, script.substring(start));
        return out;
    }

    private static void addIfCode(List<String> out, String statement) {
        if (!statement.isBlank() && !onlyComments(statement)) {
            out.add(statement.strip());
        }
    }
}
