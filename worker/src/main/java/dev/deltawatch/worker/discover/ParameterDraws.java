package dev.deltawatch.worker.discover;

import dev.deltawatch.worker.check.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sample parameters for a normalized statement ({@code $n} where its constants were), drawn from the data: each
 * {@code $n} compared with a column takes that column's value from the first rows of its table (columns of one
 * table from the same row, so combined predicates match something), {@code LIMIT $n} takes 100 and {@code OFFSET $n}
 * 0. A parameter with no column beside it cannot be drawn. A statement is a single-record one when a parameter pins
 * a column that is unique on its own.
 */
final class ParameterDraws {
    /**
     * The parameter sets (null when they cannot all be drawn), the query's name and why, and per {@code $n} the
     * {@code table.column} it is compared with by equality when that column is not unique (null otherwise): the
     * audit draws their most common value at each audit; empty when no parameter is such.
     */
    record Drawn(String name, List<List<Object>> params, boolean singleRecord, String why, List<String> drawFrom) {}

    private static final Pattern RELATION = Pattern.compile(
            "\\b(?:FROM|JOIN)\\s+(?:\"?\\w+\"?\\.)?\"?(\\w+)\"?(?:\\s+(?:AS\\s+)?(\\w+))?", Pattern.CASE_INSENSITIVE);
    private static final Set<String> KEYWORDS = Set.of("where", "join", "left", "right", "inner", "full", "cross",
            "on", "order", "group", "limit", "offset", "using", "natural", "lateral", "union", "having", "window");
    private static final String UNIQUE_COLUMNS = """
            SELECT a.attname AS col FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
             WHERE n.nspname = ? AND t.relname = ? AND i.indisunique AND i.indnatts = 1 AND i.indpred IS NULL""";

    private final Connection c;
    private final String schema;
    private final Map<String, List<String>> columns = new HashMap<>();

    ParameterDraws(Connection c, String schema) {
        this.c = c;
        this.schema = schema;
    }

    Drawn draw(String sql, Layout layout) throws SQLException {
        Map<String, String> aliases = relations(sql);
        String first = aliases.isEmpty() ? layout.mirrorTable() : aliases.values().iterator().next();
        int count = QueryDiscovery.parameterCount(sql);
        Object[] constants = new Object[count];
        Map<String, List<Integer>> byTable = new LinkedHashMap<>();
        Map<Integer, String> columnOf = new HashMap<>();
        List<String> pinned = new ArrayList<>();
        String[] equalTo = new String[count];
        boolean single = false;
        for (int k = 1; k <= count; k++) {
            String p = "\\$" + k + "(?!\\d)";
            if (find(sql, "\\bLIMIT\\s+" + p) != null) {
                constants[k - 1] = "100";
                continue;
            }
            if (find(sql, "\\bOFFSET\\s+" + p) != null) {
                constants[k - 1] = "0";
                continue;
            }
            if (find(sql, "(->>?|\\?)\\s*" + p) != null) {
                // a JSON key the normalization hid: any key of a mirror keeps the plan's shape
                constants[k - 1] = jsonKey(layout);
                if (constants[k - 1] != null) {
                    continue;
                }
            }
            Matcher m = find(sql, "(?:(\\w+)\\.)?\"?(\\w+)\"?\\s*(?:=|<>|!=|>=|<=|>|<)\\s*" + p);
            if (m == null) {
                m = find(sql, p + "(?:::[\\w ]+)?\\s*(?:=|<>|!=|>=|<=|>|<)\\s*(?:(\\w+)\\.)?\"?(\\w+)\"?");
            }
            String table = m == null ? null : tableOf(m.group(1), m.group(2), aliases);
            if (table == null) {
                return new Drawn(first.replace('_', '-') + "-query", null, false, "parameter $" + k + " is compared with no column "
                        + "of its tables, so it cannot be drawn from the data", List.of());
            }
            byTable.computeIfAbsent(table, t -> new ArrayList<>()).add(k);
            columnOf.put(k, m.group(2));
            pinned.add(m.group(2));
            if (find(sql, "\\b" + Pattern.quote(m.group(2)) + "\\s*=\\s*" + p) != null) {
                if (unique(table).contains(m.group(2))) {
                    single = true;
                } else {
                    equalTo[k - 1] = table + "." + m.group(2);
                }
            }
        }
        single = single || find(sql, "\\bLIMIT\\s+1\\b") != null;
        String name = (byTable.isEmpty() ? first : byTable.keySet().iterator().next()).replace('_', '-')
                + (pinned.isEmpty() ? "-page" : "-by-" + String.join("-", new java.util.LinkedHashSet<>(pinned))
                .replace('_', '-'));
        List<List<Object>> sets = new ArrayList<>(List.of(new ArrayList<>(java.util.Arrays.asList(constants)),
                new ArrayList<>(java.util.Arrays.asList(constants))));
        for (Map.Entry<String, List<Integer>> e : byTable.entrySet()) {
            List<List<String>> rows = sample(e.getKey(), e.getValue().stream().map(columnOf::get).toList());
            if (rows.isEmpty()) {
                return new Drawn(name, null, single, e.getKey() + " has no row with every compared column set, so "
                        + "no parameter could be drawn", List.of());
            }
            for (int s = 0; s < sets.size(); s++) {
                List<String> row = rows.get(Math.min(s, rows.size() - 1));
                for (int i = 0; i < e.getValue().size(); i++) {
                    sets.get(s).set(e.getValue().get(i) - 1, row.get(i));
                }
            }
        }
        if (sets.get(0).equals(sets.get(1))) {
            sets.remove(1);
        }
        return new Drawn(name, List.copyOf(sets), single, count == 0 ? "no parameters" : "parameters drawn from "
                + (byTable.isEmpty() ? "constants" : "the first rows of " + String.join(", ", byTable.keySet()))
                + (count > byTable.values().stream().mapToInt(List::size).sum() ? "; LIMIT 100 / OFFSET 0 where "
                + "pg_stat_statements hid the constants" : ""), drawFrom(equalTo));
    }

    /** The equality-compared columns up to the last one (a unique column's most common value tells nothing). */
    private static List<String> drawFrom(String[] equalTo) {
        int last = equalTo.length;
        while (last > 0 && equalTo[last - 1] == null) {
            last--;
        }
        return java.util.Arrays.asList(equalTo).subList(0, last);
    }

    private String jsonKey(Layout layout) throws SQLException {
        List<Map<String, Object>> r = Sql.rows(c, "SELECT k FROM " + SqlIdentifiers.qualified(schema,
                layout.mirrorTable()) + ", jsonb_object_keys(" + SqlIdentifiers.quote(layout.mirrorColumn())
                + ") AS k WHERE jsonb_typeof(" + SqlIdentifiers.quote(layout.mirrorColumn()) + ") = 'object' LIMIT 1");
        return r.isEmpty() ? null : Sql.text(r.get(0), "k");
    }

    private List<List<String>> sample(String table, List<String> cols) throws SQLException {
        List<String> quoted = cols.stream().map(SqlIdentifiers::quote).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < quoted.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(quoted.get(i)).append("::text AS v").append(i);
        }
        sql.append(" FROM ").append(SqlIdentifiers.qualified(schema, table)).append(" WHERE ")
                .append(String.join(" IS NOT NULL AND ", quoted)).append(" IS NOT NULL LIMIT 2");
        List<List<String>> out = new ArrayList<>();
        for (Map<String, Object> r : Sql.rows(c, sql.toString())) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < cols.size(); i++) {
                values.add(Sql.text(r, "v" + i));
            }
            out.add(values);
        }
        return out;
    }

    /** The table a (possibly qualified) column belongs to, checked against the catalog; null when none has it. */
    private String tableOf(String qualifier, String column, Map<String, String> aliases) throws SQLException {
        if (qualifier != null) {
            String t = aliases.getOrDefault(qualifier, aliases.containsValue(qualifier) ? qualifier : null);
            return t != null && columns(t).contains(column) ? t : null;
        }
        for (String t : new java.util.LinkedHashSet<>(aliases.values())) {
            if (columns(t).contains(column)) {
                return t;
            }
        }
        return null;
    }

    private List<String> columns(String table) throws SQLException {
        List<String> cols = columns.get(table);
        if (cols == null) {
            cols = VersionDiscovery.columnsWithGenerated(c, schema, table);
            columns.put(table, cols);
        }
        return cols;
    }

    private List<String> unique(String table) throws SQLException {
        return Sql.rows(c, UNIQUE_COLUMNS, schema, table).stream().map(r -> Sql.text(r, "col")).toList();
    }

    private static Map<String, String> relations(String sql) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = RELATION.matcher(sql);
        while (m.find()) {
            String alias = m.group(2);
            out.put(alias == null || KEYWORDS.contains(alias.toLowerCase(Locale.ROOT)) ? m.group(1) : alias,
                    m.group(1));
        }
        return out;
    }

    private static Matcher find(String sql, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(sql);
        return m.find() ? m : null;
    }
}
