package dev.deltawatch.worker.check.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the conditions EXPLAIN prints ({@code Filter}, {@code Index Cond}, ...): which columns they compare and
 * how, and whether they mention a column or an expression. Text-level on purpose: EXPLAIN deparses conditions in a
 * stable, regular form ({@code (rel.col = 'v'::text)}), and anything this does not recognise is simply not
 * suggested, never guessed.
 */
public final class Predicates {
    /** {@code [qualifier.]column <op>}: the left side of a comparison as EXPLAIN deparses it. */
    private static final Pattern COMPARISON = Pattern.compile(
            "(?<![\\w$\".])(?:(?:[A-Za-z_][\\w$]*|\"(?:[^\"]|\"\")+\")\\.)?([A-Za-z_][\\w$]*|\"(?:[^\"]|\"\")+\")"
                    + "\\s*(=|<>|<=|>=|<|>|~~)");
    private static final Pattern QUALIFIER = Pattern.compile("(?<![\\w$\"])(?:[A-Za-z_][\\w$]*|\"(?:[^\"]|\"\")+\")\\.(?=[A-Za-z_\"])");

    private Predicates() {}

    /** A column compared in a condition: by equality (an index can seek on it) or by a range. */
    public record Compared(String column, boolean equality) {}

    /**
     * The relation's columns compared in {@code condition}, first occurrence order; equality wins when a column is
     * compared both ways.
     */
    public static List<Compared> comparedColumns(String condition, List<String> relationColumns) {
        Map<String, Boolean> found = new LinkedHashMap<>();
        if (condition != null) {
            Matcher m = COMPARISON.matcher(condition);
            while (m.find()) {
                String column = unquote(m.group(1));
                if (relationColumns.contains(column)) {
                    found.merge(column, "=".equals(m.group(2)), Boolean::logicalOr);
                }
            }
        }
        List<Compared> out = new ArrayList<>();
        found.forEach((c, eq) -> out.add(new Compared(c, eq)));
        return out;
    }

    /** True when {@code condition} mentions {@code column} (qualified or not, quoted or not). */
    public static boolean mentionsColumn(String condition, String column) {
        if (condition == null) {
            return false;
        }
        String bare = Pattern.quote(column);
        String quoted = Pattern.quote("\"" + column.replace("\"", "\"\"") + "\"");
        return Pattern.compile("(?<![\\w$\"])(?:" + bare + "|" + quoted + ")(?![\\w$\"])").matcher(condition).find();
    }

    /** True when {@code condition} contains {@code expression}, both {@link #normalize normalized}. */
    public static boolean mentionsExpression(String condition, String expression) {
        if (condition == null || expression == null) {
            return false;
        }
        String e = normalize(expression);
        return !e.isEmpty() && normalize(condition).contains(e);
    }

    /**
     * True when the conditions a plan applies to a relation ({@code conditions}, EXPLAIN's texts) plainly imply a
     * partial index's {@code predicate} ({@code pg_get_expr(indpred)}): each top-level {@code AND} conjunct of the
     * predicate appears among the conditions, {@link #normalize normalized}. Text-level and conservative: a
     * predicate the conditions imply only logically ({@code org IN ('A','B')} by {@code org = 'A'}) is not seen as
     * implied, and a null or blank predicate (a full index) always is.
     */
    public static boolean implies(String conditions, String predicate) {
        if (predicate == null || predicate.isBlank()) {
            return true;
        }
        String have = conditions == null ? "" : normalize(conditions);
        for (String conjunct : conjuncts(predicate)) {
            String c = normalize(conjunct);
            if (!c.isEmpty() && !have.contains(c)) {
                return false;
            }
        }
        return true;
    }

    /** The top-level {@code AND} operands of an expression, outer parentheses and quoted text respected. */
    static List<String> conjuncts(String expression) {
        String e = expression.strip();
        while (e.startsWith("(") && closingParen(e, 0) == e.length() - 1) {
            e = e.substring(1, e.length() - 1).strip();
        }
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < e.length(); i++) {
            char ch = e.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')') {
                depth--;
            } else if (!quoted && depth == 0 && e.regionMatches(true, i, " AND ", 0, 5)) {
                out.add(e.substring(start, i));
                start = i + 5;
                i += 4;
            }
        }
        out.add(e.substring(start));
        return out;
    }

    /** Index of the parenthesis closing the one at {@code open}, or -1. */
    private static int closingParen(String s, int open) {
        int depth = 0;
        boolean quoted = false;
        for (int i = open; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
            } else if (!quoted && ch == '(') {
                depth++;
            } else if (!quoted && ch == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * An expression reduced for comparison: qualifiers ({@code rel.}), whitespace and parentheses removed, so
     * {@code (pfa_merge(r.mirror_json, r.delta_json) ->> 'category'::text)} and the catalog's
     * {@code (pfa_merge(mirror_json, delta_json) ->> 'category'::text)} compare equal.
     */
    public static String normalize(String expression) {
        String s = QUALIFIER.matcher(expression).replaceAll("");
        return s.replaceAll("[\\s()]", "");
    }

    /**
     * A statement reduced to its shape for matching {@code pg_stat_statements} text against registered SQL:
     * literals and {@code $n} become {@code ?}, whitespace collapses, case folds, a trailing {@code ;} goes.
     */
    public static String statementKey(String sql) {
        String s = sql.replaceAll("'(?:[^']|'')*'", "?")
                .replaceAll("\\$\\d+", "?")
                .replaceAll("(?<![\\w$])\\d+(?:\\.\\d+)?(?![\\w$])", "?")
                .replaceAll("\\s+", " ")
                .strip();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static String unquote(String identifier) {
        return identifier.startsWith("\"") ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"")
                : identifier;
    }
}
