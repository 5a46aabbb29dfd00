package dev.deltawatch.worker.check.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A registered statement with PostgreSQL-style {@code $n} parameters, rewritten for JDBC's {@code ?} placeholders.
 *
 * <p>Why a rewrite: pgjdbc only binds {@code ?}, and {@code PREPARE}/{@code EXECUTE} would need the values inlined
 * as literals. So each {@code $n} outside string literals, quoted identifiers, dollar-quoted bodies and comments
 * becomes one {@code ?}, and {@link #slots()} records which {@code $n} each {@code ?} stands for: {@code $2 ... $1
 * ... $2} binds value 2, then 1, then 2. A literal {@code ?} (the jsonb operators {@code ?}, {@code ?|}, {@code ?&})
 * is doubled, pgjdbc's escape for "not a placeholder". A trailing {@code ;} is dropped; a second statement is
 * refused, so a registered query can never smuggle in another command. Values are always bound, never spliced.
 *
 * @param jdbcSql        the statement with {@code ?} placeholders
 * @param slots          for each {@code ?} in order, the 1-based {@code $n} it binds
 * @param parameterCount the highest {@code $n} used; a parameter set must have exactly this many values
 */
public record ParameterizedSql(String jdbcSql, List<Integer> slots, int parameterCount) {

    public ParameterizedSql {
        slots = List.copyOf(slots);
    }

    /** @throws IllegalArgumentException naming the position of an unterminated literal or a second statement */
    public static ParameterizedSql of(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 8);
        List<Integer> slots = new ArrayList<>();
        int max = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'') {
                end = quoted(sql, i, '\'', isEscapeString(sql, i));
            } else if (c == '"') {
                end = quoted(sql, i, '"', false);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int nl = sql.indexOf('\n', i);
                end = nl < 0 ? n : nl;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                end = blockComment(sql, i);
            } else if (c == '$' && !identifierPart(sql, i - 1)) {
                int digits = i + 1;
                while (digits < n && Character.isDigit(sql.charAt(digits))) {
                    digits++;
                }
                if (digits > i + 1) {
                    int index = Integer.parseInt(sql.substring(i + 1, digits));
                    if (index < 1) {
                        throw new IllegalArgumentException("parameter $" + index + " at offset " + i + ": parameters start at $1");
                    }
                    slots.add(index);
                    max = Math.max(max, index);
                    out.append('?');
                    i = digits;
                    continue;
                }
                end = dollarQuoted(sql, i);
            } else if (c == '?') {
                out.append("??");
                i++;
                continue;
            } else if (c == ';') {
                if (!sql.substring(i + 1).isBlank()) {
                    throw new IllegalArgumentException("a second statement follows ';' at offset " + i
                            + ": register one statement per query");
                }
                break;
            } else {
                end = i + 1;
            }
            out.append(sql, i, end);
            i = end;
        }
        return new ParameterizedSql(out.toString().strip(), slots, max);
    }

    /** The values to bind, one per {@code ?}, taken from a parameter set given in {@code $n} order. */
    public List<Object> bind(List<Object> paramSet) {
        if (paramSet.size() != parameterCount) {
            throw new IllegalArgumentException("the statement uses $1..$" + parameterCount + " but the parameter set has "
                    + paramSet.size() + " value(s)");
        }
        List<Object> values = new ArrayList<>(slots.size());
        for (int slot : slots) {
            values.add(paramSet.get(slot - 1));
        }
        return values;
    }

    private static boolean isEscapeString(String sql, int quote) {
        return quote > 0 && (sql.charAt(quote - 1) == 'E' || sql.charAt(quote - 1) == 'e')
                && !identifierPart(sql, quote - 2);
    }

    private static int quoted(String sql, int start, char q, boolean backslashEscapes) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == q) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == q) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated " + (q == '"' ? "quoted identifier" : "string literal")
                + " starting at offset " + start);
    }

    private static int blockComment(String sql, int start) {
        int depth = 0;
        int i = start;
        while (i + 1 < sql.length()) {
            if (sql.charAt(i) == '/' && sql.charAt(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated comment starting at offset " + start);
    }

    /** {@code $tag$ ... $tag$} (tag possibly empty); a lone {@code $} is copied as it is. */
    private static int dollarQuoted(String sql, int start) {
        int i = start + 1;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        if (i >= sql.length() || sql.charAt(i) != '$' || (i > start + 1 && Character.isDigit(sql.charAt(start + 1)))) {
            return start + 1;
        }
        String tag = sql.substring(start, i + 1);
        int close = sql.indexOf(tag, i + 1);
        if (close < 0) {
            throw new IllegalArgumentException("unterminated dollar-quoted string " + tag + " at offset " + start);
        }
        return close + tag.length();
    }

    private static boolean identifierPart(String sql, int i) {
        if (i < 0) {
            return false;
        }
        char c = sql.charAt(i);
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
