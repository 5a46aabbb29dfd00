package dev.deltawatch.worker.discover;

import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heaviest read statements of this database from {@code pg_stat_statements} that name a table of the layout,
 * registered with budgets from the DBRE methodology (10 ms for a single record, 100 ms for a batch) and parameters
 * drawn from the data ({@link ParameterDraws}). A statement whose parameters cannot all be drawn is written as a
 * commented-out entry with what {@code EXPLAIN (GENERIC_PLAN)} (PostgreSQL 16+) shows of it. Without the extension,
 * the notes say so and no query is registered.
 */
final class QueryDiscovery {
    static final long SINGLE_RECORD_MS = 10;
    static final long BATCH_MS = 100;
    private static final int LIMIT = 8;
    private static final String HEAVIEST = """
            SELECT query, calls, total_exec_time AS total_ms FROM %s.pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND toplevel
               AND query ~* '^\\s*(select|with)\\M' AND query !~* '(pg_catalog|deltawatch|information_schema)'
             ORDER BY total_exec_time DESC LIMIT 200""";

    private QueryDiscovery() {}

    static List<RegisteredQuery> discover(Connection c, Connection simple, String schema, Layout layout, Notes notes)
            throws SQLException {
        List<Map<String, Object>> ext = Sql.rows(c, "SELECT n.nspname AS s FROM pg_extension e JOIN pg_namespace n "
                + "ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'");
        if (ext.isEmpty()) {
            notes.plain("queries", "pg_stat_statements is not installed in this database, so no query was registered "
                    + "(CREATE EXTENSION pg_stat_statements, with it in shared_preload_libraries, then run init again; "
                    + "or list the application's queries here)");
            notes.todo("queries: pg_stat_statements is missing; register the application's queries by hand");
            notes.summary("queries: none (pg_stat_statements is not installed)");
            return List.of();
        }
        List<Map<String, Object>> rows;
        try {
            rows = Sql.rows(c, HEAVIEST.formatted(dev.deltawatch.worker.check.SqlIdentifiers.quote(
                    Sql.text(ext.get(0), "s"))));
        } catch (SQLException e) {
            notes.plain("queries", "pg_stat_statements could not be read: " + e.getMessage().lines().findFirst()
                    .orElse("") + " (it must be in shared_preload_libraries); no query was registered");
            notes.todo("queries: pg_stat_statements is unreadable; register the application's queries by hand");
            notes.summary("queries: none (pg_stat_statements unreadable)");
            c.rollback();
            return List.of();
        }
        List<RegisteredQuery> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        ParameterDraws draws = new ParameterDraws(c, schema);
        int seen = 0;
        boolean hidden = false;
        for (Map<String, Object> r : rows) {
            String sql = Sql.text(r, "query");
            if (sql == null || sql.startsWith("<insufficient privilege>")) {
                hidden = true;
                continue;
            }
            if (!namesLayoutTable(sql, layout) || seen >= LIMIT) {
                continue;
            }
            seen++;
            String stats = Sql.text(r, "calls") + " calls, " + String.format(Locale.ROOT, "%.1f", ((Number)
                    r.get("total_ms")).doubleValue()) + " ms in total";
            ParameterDraws.Drawn drawn = draws.draw(sql, layout);
            String name = unique(names, drawn.name());
            if (drawn.params() == null) {
                notes.plain("queries.unregistered", "- name: " + name + "   # " + stats + "; " + drawn.why());
                notes.plain("queries.unregistered", "  sql: " + sql.replaceAll("\\s+", " "));
                notes.plain("queries.unregistered", "  " + GenericPlan.describe(simple, sql));
                continue;
            }
            long budget = drawn.singleRecord() ? SINGLE_RECORD_MS : BATCH_MS;
            String at = "queries[" + out.size() + "]";
            notes.add(at, Certainty.LIKELY, "from pg_stat_statements: " + stats + "; budget " + budget + " ms ("
                    + (drawn.singleRecord() ? "a single record" : "a batch") + ", DBRE methodology); " + drawn.why());
            out.add(new RegisteredQuery(name, sql, drawn.params(), budget, RegisteredQuery.Kind.READ,
                    drawn.drawFrom()));
        }
        if (hidden) {
            notes.plain("queries", "some statements' text is hidden from this role (<insufficient privilege>): "
                    + "grant it pg_read_all_stats to see every role's statements");
        }
        if (seen == 0) {
            notes.plain("queries", "pg_stat_statements holds no read statement of " + layout.mirrorTable()
                    + (layout.sameRow() ? "" : " or " + layout.deltaTable()) + " yet: run the application's workload "
                    + "on this database, then init again, or list the queries here");
            notes.todo("queries: none seen in pg_stat_statements yet");
        }
        notes.summary("queries: " + out.size() + " registered from pg_stat_statements"
                + (seen > out.size() ? ", " + (seen - out.size()) + " more need parameters (commented out)" : ""));
        c.rollback();
        return out;
    }

    private static boolean namesLayoutTable(String sql, Layout layout) {
        for (String t : layout.sameRow() ? List.of(layout.mirrorTable())
                : List.of(layout.mirrorTable(), layout.deltaTable())) {
            if (Pattern.compile("\\b" + Pattern.quote(t) + "\\b", Pattern.CASE_INSENSITIVE).matcher(sql).find()) {
                return true;
            }
        }
        return false;
    }

    private static String unique(Set<String> names, String base) {
        String name = base;
        for (int i = 2; !names.add(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    static int parameterCount(String sql) {
        int max = 0;
        Matcher m = Pattern.compile("\\$(\\d+)").matcher(sql);
        while (m.find()) {
            max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        return max;
    }
}
