package dev.deltawatch.worker.discover;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where no write function exists, the application's own save from {@code pg_stat_statements}: an INSERT (… ON
 * CONFLICT DO UPDATE) or UPDATE of the delta's table that sets the delta column and has a version predicate in its
 * WHERE. Each {@code $n} gets its role from what it is compared with or assigned to (key or record column, owner, the
 * delta column, the version predicate) and is rewritten to {@code :key :owner :patch :expectedVersion}. A {@code $n}
 * assigned to the version column (the first version, or the bump) is a constant pg_stat_statements normalized away:
 * it is written back as 1, a guess. A stale save updates nothing (the version predicate), so the conflict is zero rows.
 */
final class WriteStatementDiscovery {
    private static final String SAVES = """
            SELECT query, calls FROM %s.pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND toplevel
               AND query ~* '^\\s*(insert|update)\\M' AND query !~* '(pg_catalog|information_schema)'
             ORDER BY calls DESC LIMIT 200""";
    /** A parameter, bare or cast ({@code $3}, {@code $3::jsonb}, {@code CAST($3 AS jsonb)}): group 1 or 2 is n. */
    private static final String PARAM = "(?:CAST\\s*\\(\\s*\\$(\\d+)\\s+AS\\s+[\\w\\s]+?\\)|\\$(\\d+)(?:\\s*::\\s*\\w+)?)";
    private static final String COLUMN = "(?:\\w+\\.)?\"?(\\w+)\"?";
    private static final Pattern WHOLE_PARAM = Pattern.compile("^\\s*" + PARAM + "\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern ANY_PARAM = Pattern.compile("\\$(\\d+)\\b");
    private static final Pattern COMPARED = Pattern.compile(COLUMN + "\\s*=\\s*" + PARAM + "|" + PARAM + "\\s*=\\s*"
            + COLUMN, Pattern.CASE_INSENSITIVE);
    /**
     * What a save taken from pg_stat_statements gives discovery: the statement form and what it compares; {@code bumps}
     * only where a literal {@code + 1} is seen (a normalized {@code + $n} is among the guessed constants).
     */
    record Judged(String statement, String versionColumn, boolean bumps, List<String> roles, List<String> constants) {}

    /** Why a candidate was not taken, or the judged statement. */
    record Verdict(Judged judged, String rejection) {}

    private WriteStatementDiscovery() {}

    /** The most called save of the delta's table that judges as a write path, or null (the notes say why). */
    static WritePathDiscovery.Found discover(Connection c, Layout layout, Set<String> versionColumns, Notes notes)
            throws SQLException {
        List<Map<String, Object>> ext = Sql.rows(c, "SELECT n.nspname AS s FROM pg_extension e JOIN pg_namespace n "
                + "ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'");
        if (ext.isEmpty()) {
            notes.plain("write", "pg_stat_statements is not installed, so the application's own save could not be "
                    + "looked for");
            return null;
        }
        List<Map<String, Object>> rows;
        try {
            rows = Sql.rows(c, SAVES.formatted(SqlIdentifiers.quote(Sql.text(ext.get(0), "s"))));
        } catch (SQLException e) {
            c.rollback();
            notes.plain("write", "pg_stat_statements could not be read for the application's save: "
                    + e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
        Pattern writes = Pattern.compile("^\\s*(UPDATE|INSERT\\s+INTO)\\s+(ONLY\\s+)?(\\w+\\.)?\"?"
                + Pattern.quote(layout.deltaHome()) + "\"?[\\s(]", Pattern.CASE_INSENSITIVE);
        for (Map<String, Object> row : rows) {
            String sql = Sql.text(row, "query");
            if (sql == null || !writes.matcher(sql).find()) {
                continue;
            }
            Verdict verdict = judge(sql, layout, versionColumns);
            if (verdict.judged() == null) {
                notes.plain("write", "seen in pg_stat_statements, not taken as the write path: "
                        + sql.replaceAll("\\s+", " ").strip() + " (" + verdict.rejection() + ")");
                continue;
            }
            return found(verdict.judged(), Sql.text(row, "calls"), layout, notes);
        }
        return null;
    }

    private static WritePathDiscovery.Found found(Judged j, String calls, Layout layout, Notes notes) {
        notes.add("write.statement", Certainty.LIKELY, "no write function; the application's save from "
                + "pg_stat_statements (" + calls + " calls) writes " + layout.deltaHome() + "." + layout.deltaColumn()
                + " only where " + j.versionColumn() + " equals the expected version");
        notes.add("write.statement", Certainty.LIKELY, "parameter roles from what each is compared with or assigned to: "
                + String.join("; ", j.roles()));
        if (!j.constants().isEmpty()) {
            notes.add("write.statement", Certainty.GUESS, "pg_stat_statements replaced these constants by parameters, "
                    + "written back as 1: " + String.join("; ", j.constants()));
            notes.todo("write.statement: constants pg_stat_statements normalized away are written back as 1 ("
                    + String.join("; ", j.constants()) + "); confirm them against the application's SQL");
        }
        notes.add("write.conflict", Certainty.LIKELY, "the statement has the version predicate in its WHERE and "
                + "raises nothing: a stale save affects zero rows");
        notes.summary("write: the application's statement from pg_stat_statements, conflict on zero rows (likely"
                + (j.constants().isEmpty() ? ")" : "; " + j.constants().size() + " constant(s) guessed as 1)"));
        TargetConfig.Write write = new TargetConfig.Write(null, List.of(), j.statement(),
                new TargetConfig.Conflict(null, null, true));
        return new WritePathDiscovery.Found(write, "the application's save", j.versionColumn(), j.bumps(), "patch");
    }

    /** Roles of a save's parameters from its text (pg_stat_statements' normalized form). */
    static Verdict judge(String sql, Layout layout, Set<String> versionColumns) {
        Map<Integer, String> roles = new LinkedHashMap<>();
        Map<Integer, String> constants = new LinkedHashMap<>();
        String upper = sql.toUpperCase(Locale.ROOT);
        int set = indexOfWord(upper, "SET", 0);
        int where = indexOfWord(upper, "WHERE", Math.max(set, 0));
        int returning = indexOfWord(upper, "RETURNING", Math.max(set, 0));
        // The WHERE first: the version column is the one its remaining parameter is compared with (one named like a
        // version preferred), and only it may take a constant pg_stat_statements normalized away.
        Map<Integer, String> compared = new LinkedHashMap<>();
        if (where >= 0) {
            Matcher m = COMPARED.matcher(sql.substring(where, returning > where ? returning : sql.length()));
            while (m.find()) {
                compared.putIfAbsent(Integer.parseInt(first(m.group(2), m.group(3), m.group(4), m.group(5))),
                        m.group(1) != null ? m.group(1) : m.group(6));
            }
        }
        String versionColumn = null;
        for (Map.Entry<Integer, String> e : compared.entrySet()) {
            String role = role(e.getValue(), layout);
            if (role != null) {
                roles.putIfAbsent(e.getKey(), role + " (compared with " + e.getValue() + ")");
            } else if (versionColumns.contains(e.getValue()) && (versionColumn == null
                    || !Words.version(versionColumn) && Words.version(e.getValue()))) {
                versionColumn = e.getValue();
            }
        }
        if (versionColumn == null) {
            return new Verdict(null, "no version predicate in its WHERE, so a stale save would not be refused");
        }
        for (Map.Entry<Integer, String> e : compared.entrySet()) {
            if (e.getValue().equals(versionColumn)) {
                roles.putIfAbsent(e.getKey(), "expectedVersion (compared with " + versionColumn + ")");
            }
        }
        boolean setsDelta = false;
        if (upper.stripLeading().startsWith("INSERT")) {
            int open = sql.indexOf('(');
            int values = indexOfWord(upper, "VALUES", open);
            if (open < 0 || values < 0) {
                return new Verdict(null, "an INSERT without a column list and VALUES");
            }
            List<String> columns = splitTopLevel(sql.substring(open + 1, closing(sql, open)));
            int valuesOpen = sql.indexOf('(', values);
            List<String> exprs = splitTopLevel(sql.substring(valuesOpen + 1, closing(sql, valuesOpen)));
            for (int i = 0; i < Math.min(columns.size(), exprs.size()); i++) {
                String column = unquote(columns.get(i));
                setsDelta |= column.equals(layout.deltaColumn());
                assign(column, exprs.get(i), layout, versionColumn, roles, constants);
            }
        }
        if (set >= 0) {
            int end = where > set ? where : returning > set ? returning : sql.length();
            for (String assignment : splitTopLevel(sql.substring(set + 3, end))) {
                int eq = assignment.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String column = unquote(assignment.substring(0, eq));
                setsDelta |= column.equals(layout.deltaColumn());
                assign(column, assignment.substring(eq + 1), layout, versionColumn, roles, constants);
            }
        }
        Matcher all = ANY_PARAM.matcher(sql);
        while (all.find()) {
            int n = Integer.parseInt(all.group(1));
            if (!roles.containsKey(n) && !constants.containsKey(n)) {
                return new Verdict(null, "cannot tell what $" + n + " is: it is compared with or assigned to no key, "
                        + "owner, delta or version column");
            }
        }
        List<String> named = roles.values().stream().map(r -> r.split(" ")[0]).toList();
        if (!setsDelta || !named.contains("key") || !named.contains("patch")
                || layout.owner() != null && !named.contains("owner")) {
            return new Verdict(null, !setsDelta ? "does not set " + layout.deltaColumn()
                    : "no parameter is the key" + (layout.owner() != null ? ", the owner" : "") + " or the patch");
        }
        StringBuilder out = new StringBuilder();
        Matcher m = ANY_PARAM.matcher(sql);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            m.appendReplacement(out, roles.containsKey(n) ? ":" + roles.get(n).split(" ")[0] : "1");
        }
        m.appendTail(out);
        boolean bumps = Pattern.compile("\\b" + Pattern.quote(versionColumn) + "\\s*=\\s*(\\w+\\.)?"
                + Pattern.quote(versionColumn) + "\\s*\\+\\s*1\\b").matcher(sql).find();
        List<String> roleNotes = roles.entrySet().stream().map(e -> "$" + e.getKey() + " -> " + e.getValue()).toList();
        List<String> constantNotes = constants.entrySet().stream().map(e -> "$" + e.getKey() + " " + e.getValue())
                .toList();
        return new Verdict(new Judged(out.toString().strip(), versionColumn, bumps, roleNotes, constantNotes), null);
    }

    /** The role of a parameter assigned to {@code column} by {@code expr}: a role, or a constant of the version. */
    private static void assign(String column, String expr, Layout layout, String versionColumn,
                               Map<Integer, String> roles, Map<Integer, String> constants) {
        Matcher whole = WHOLE_PARAM.matcher(expr);
        if (whole.matches()) {
            int n = Integer.parseInt(first(whole.group(1), whole.group(2)));
            String role = column.equals(layout.deltaColumn()) ? "patch" : role(column, layout);
            if (role != null) {
                roles.putIfAbsent(n, role + " (assigned to " + column + ")");
            } else if (column.equals(versionColumn)) {
                constants.putIfAbsent(n, "(the first " + column + ")");
            }
            return;
        }
        Matcher param = Pattern.compile(PARAM, Pattern.CASE_INSENSITIVE).matcher(expr);
        if (column.equals(layout.deltaColumn()) && expr.contains("||") && param.find()) {
            roles.putIfAbsent(Integer.parseInt(first(param.group(1), param.group(2))), "patch (|| into " + column + ")");
        } else if (column.equals(versionColumn) && Pattern.compile("\\b" + Pattern.quote(column) + "\\s*\\+\\s*"
                + PARAM, Pattern.CASE_INSENSITIVE).matcher(expr).find()) {
            Matcher bump = Pattern.compile("\\+\\s*" + PARAM, Pattern.CASE_INSENSITIVE).matcher(expr);
            if (bump.find()) {
                constants.putIfAbsent(Integer.parseInt(first(bump.group(1), bump.group(2))), "(the bump of " + column
                        + ")");
            }
        }
    }

    private static String role(String column, Layout layout) {
        if (column.equals(layout.key()) || column.equals(layout.record())) {
            return "key";
        }
        return column.equals(layout.owner()) ? "owner" : null;
    }

    private static String first(String... groups) {
        for (String g : groups) {
            if (g != null) {
                return g;
            }
        }
        throw new IllegalStateException("no group matched");
    }

    private static String unquote(String column) {
        String c = column.strip();
        int dot = c.lastIndexOf('.');
        c = dot >= 0 ? c.substring(dot + 1) : c;
        return c.replace("\"", "");
    }

    private static int indexOfWord(String upper, String word, int from) {
        Matcher m = Pattern.compile("\\b" + word + "\\b").matcher(upper);
        return from >= 0 && m.find(from) ? m.start() : -1;
    }

    private static int closing(String sql, int open) {
        int depth = 0;
        for (int i = open; i < sql.length(); i++) {
            depth += sql.charAt(i) == '(' ? 1 : sql.charAt(i) == ')' ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        return sql.length();
    }

    private static List<String> splitTopLevel(String list) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char ch = list.charAt(i);
            depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            if (ch == ',' && depth == 0) {
                out.add(list.substring(start, i));
                start = i + 1;
            }
        }
        out.add(list.substring(start));
        return out;
    }
}
