package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.TargetConfig;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions a check's verdict depends on: the merge and write functions, the functions the generated columns'
 * expressions use, the trigger functions of the watched tables, and everything those call, transitively, as far
 * as {@code pg_depend} (SQL bodies in {@code BEGIN ATOMIC}) and the bodies' text (PL/pgSQL and string bodies,
 * which PostgreSQL records no dependency for) show. A name in a body followed by {@code (} counts as a call: a
 * false match costs a check run, a missed one a verdict. System schemas and deltawatch's own are left out.
 */
public final class FunctionReach {

    /**
     * Why a function matters.
     *
     * @param writePath true for the write path (write function, triggers), false for the merged value
     * @param via       the configured object that reaches it, e.g. {@code merge function public.pfa_merge}
     */
    public record Reach(boolean writePath, String via) {}

    private record Fn(long oid, String name, String body) {}

    private static final String USER_FUNCTIONS = """
            SELECT p.oid, n.nspname || '.' || p.proname, p.prosrc
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'deltawatch', 'deltawatch_probe')
               AND n.nspname NOT LIKE 'pg\\_%'""";
    private static final String CATALOG_CALLS = """
            SELECT objid, refobjid FROM pg_depend
             WHERE classid = 'pg_proc'::regclass AND refclassid = 'pg_proc'::regclass AND objid <> refobjid""";
    private static final String GENERATED = """
            SELECT DISTINCT dep.refobjid, format('generated column %s.%s', c.relname, a.attname)
              FROM pg_attrdef d
              JOIN pg_depend dep ON dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid
                                AND dep.refclassid = 'pg_proc'::regclass
              JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
              JOIN pg_class c ON c.oid = d.adrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ANY (?)""";
    private static final String TRIGGERS = """
            SELECT g.tgfoid, format('trigger %s on %s', g.tgname, c.relname)
              FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT g.tgisinternal AND n.nspname = ? AND c.relname = ANY (?)""";

    /** An identifier, quoted or not, followed by an opening parenthesis: what a call looks like in a body. */
    private static final Pattern CALL = Pattern.compile("(?:\"([^\"]+)\"|(?<![\\w$])([A-Za-z_][\\w$]*))\\s*\\(");

    private FunctionReach() {}

    /** Each reached function's {@code schema.name} (unquoted) with every reason it matters. */
    public static Map<String, List<Reach>> of(Connection c, TargetConfig target) throws SQLException {
        Map<Long, Fn> functions = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(USER_FUNCTIONS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                functions.put(rs.getLong(1), new Fn(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
        }
        Map<Long, Set<Long>> calls = catalogCalls(c, functions);
        Map<String, List<Long>> byName = new HashMap<>();
        functions.values().forEach(f -> byName.computeIfAbsent(shortName(f.name()), k -> new ArrayList<>())
                .add(f.oid()));
        Map<String, List<Reach>> out = new LinkedHashMap<>();
        for (Map.Entry<Long, Reach> root : roots(c, target, functions).entrySet()) {
            for (long oid : closure(root.getKey(), calls, byName, functions)) {
                List<Reach> reasons = out.computeIfAbsent(functions.get(oid).name(), n -> new ArrayList<>());
                if (!reasons.contains(root.getValue())) {
                    reasons.add(root.getValue());
                }
            }
        }
        return out;
    }

    private static Map<Long, Reach> roots(Connection c, TargetConfig target, Map<Long, Fn> functions)
            throws SQLException {
        Map<Long, Reach> roots = new LinkedHashMap<>();
        String schema = target.schema();
        for (Fn f : functions.values()) {
            if (f.name().equals(schema + "." + target.merge().function())) {
                roots.put(f.oid(), new Reach(false, "merge function " + f.name()));
            } else if (target.write() != null && f.name().equals(schema + "." + target.write().function())) {
                roots.put(f.oid(), new Reach(true, "write function " + f.name()));
            }
        }
        Array tables = c.createArrayOf("text", target.tableNames().toArray());
        addRoots(c, GENERATED, schema, tables, false, functions, roots);
        addRoots(c, TRIGGERS, schema, tables, true, functions, roots);
        return roots;
    }

    private static void addRoots(Connection c, String sql, String schema, Array tables, boolean writePath,
                                 Map<Long, Fn> functions, Map<Long, Reach> roots) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setArray(2, tables);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (functions.containsKey(rs.getLong(1))) {
                        roots.putIfAbsent(rs.getLong(1), new Reach(writePath, rs.getString(2)));
                    }
                }
            }
        }
    }

    /** Caller oid to callee oids recorded in the catalog ({@code BEGIN ATOMIC} bodies). */
    private static Map<Long, Set<Long>> catalogCalls(Connection c, Map<Long, Fn> functions) throws SQLException {
        Map<Long, Set<Long>> calls = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(CATALOG_CALLS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (functions.containsKey(rs.getLong(1)) && functions.containsKey(rs.getLong(2))) {
                    calls.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2));
                }
            }
        }
        return calls;
    }

    /** Every function reachable from {@code root}, itself included; bodies are read only along the way. */
    private static Set<Long> closure(long root, Map<Long, Set<Long>> catalogCalls, Map<String, List<Long>> byName,
                                     Map<Long, Fn> functions) {
        Set<Long> seen = new HashSet<>(List.of(root));
        Deque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            long caller = todo.pop();
            Set<Long> callees = new HashSet<>(catalogCalls.getOrDefault(caller, Set.of()));
            String body = functions.get(caller).body();
            Matcher m = CALL.matcher(body == null ? "" : body);
            while (m.find()) {
                String quoted = m.group(1);
                // Unquoted identifiers fold to lower case; a quoted call spells the name exactly.
                callees.addAll(byName.getOrDefault(quoted != null ? quoted : m.group(2).toLowerCase(Locale.ROOT),
                        List.of()));
            }
            for (long callee : callees) {
                if (seen.add(callee)) {
                    todo.push(callee);
                }
            }
        }
        return seen;
    }

    private static String shortName(String qualified) {
        return qualified.substring(qualified.indexOf('.') + 1);
    }
}
