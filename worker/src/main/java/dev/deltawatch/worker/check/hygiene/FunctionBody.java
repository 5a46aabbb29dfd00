package dev.deltawatch.worker.check.hygiene;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a function body visibly does, read from its source text with comments and string literals removed: the
 * relations it reads ({@code FROM}/{@code JOIN}) and writes ({@code INSERT INTO}/{@code UPDATE}/{@code DELETE
 * FROM}), the functions it calls, and whether it runs dynamic SQL. Candidate names are only names here; the caller
 * keeps those that exist in the catalog, so a plpgsql variable is not mistaken for a table unless a table of that
 * name exists. This is a heuristic ("where detectable"): dynamic SQL defeats it, and findings say what was seen.
 */
record FunctionBody(Set<String> reads, Set<String> writes, Set<String> calls, Set<String> timeKeywords,
                    boolean dynamicSql) {

    private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[a-z_][a-z0-9_$]*+)";
    private static final Pattern READ = Pattern.compile(
            "\\b(?:from|join)\\s+(?:" + NAME + "\\s*\\.\\s*)?(" + NAME + ")(?!\\s*[(.])");
    private static final Pattern WRITE = Pattern.compile(
            "\\b(?:insert\\s+into|update|delete\\s+from|merge\\s+into|truncate(?:\\s+table)?)\\s+(?:only\\s+)?(?:"
                    + NAME + "\\s*\\.\\s*)?(" + NAME + ")(?!\\s*[(.])");
    private static final Pattern CALL = Pattern.compile("\\b(" + NAME + ")\\s*\\(");
    private static final Pattern TIME_KEYWORDS = Pattern.compile(
            "\\b(current_timestamp|current_date|current_time|localtime|localtimestamp)\\b");
    private static final Pattern DYNAMIC = Pattern.compile("\\bexecute\\b(?!\\s+procedure\\b)");

    /** Parses {@code source} (a function's {@code prosrc}). */
    static FunctionBody parse(String source) {
        String text = stripCommentsAndLiterals(source == null ? "" : source).toLowerCase(Locale.ROOT);
        return new FunctionBody(names(READ, text), names(WRITE, text), names(CALL, text),
                names(TIME_KEYWORDS, text), DYNAMIC.matcher(text).find());
    }

    private static Set<String> names(Pattern p, String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            String n = m.group(1);
            out.add(n.startsWith("\"") ? n.substring(1, n.length() - 1).replace("\"\"", "\"") : n);
        }
        return out;
    }

    /**
     * Replaces comments and single-quoted literals (including E'' escapes) with spaces; keeps everything else,
     * dollar-quoted bodies of dynamic SQL included. Lower-casing happens after, so quoted identifiers keep
     * their case only up to that point: good enough for matching catalog names, which are usually lower case.
     */
    static String stripCommentsAndLiterals(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == '-' && i + 1 < s.length() && s.charAt(i + 1) == '-') {
                int end = s.indexOf('\n', i);
                i = end < 0 ? s.length() : end;
            } else if (ch == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                i = SqlText.skipBlockComment(s, i);
                out.append(' ');
            } else if (ch == '\'') {
                boolean escapes = i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e');
                i = SqlText.skipQuoted(s, i, '\'', escapes);
                out.append(" '' ");
            } else {
                out.append(ch);
                i++;
            }
        }
        return out.toString();
    }
}
