package dev.deltawatch.worker.check.hygiene;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.plan.Predicates;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A generated column in a registered query's predicate that no index can serve (HIGH): generated columns exist to
 * be looked up, and without an index every such lookup evaluates the table. Which columns a query filters on is
 * read from its plans ({@code EXPLAIN (FORMAT JSON)}, no ANALYZE), one per sample parameter set: the conditions of
 * the scan nodes on the watched table. Whether an index can serve the column for those values is judged by
 * {@link IndexCoverage} (key position, expression keys, partial-index predicates). The finding cites the first
 * parameter set no index serves, not a set that is served: a partial index narrowed to one organization serves
 * that organization's plan and fails the others'.
 */
public final class GeneratedPredicateIndexCheck implements Check {
    public static final String NAME = "hygiene.generated-predicate-index";
    public static final String RULE = "generated-predicate-without-index";

    private static final String GENERATED = """
            SELECT a.attnum, a.attname AS name, quote_ident(a.attname) AS quoted,
                   pg_get_expr(d.adbin, d.adrelid) AS expression
              FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = ? AND a.attgenerated <> '' AND NOT a.attisdropped""";
    // Each key as pg_get_indexdef prints it: a column's name (quoted where needed) or an expression's text.
    private static final String INDEXES = """
            SELECT ic.relname AS name,
                   (SELECT array_agg(pg_get_indexdef(i.indexrelid, k.n, false) ORDER BY k.n)::text[]
                      FROM generate_series(1, i.indnkeyatts) AS k(n)) AS keys,
                   pg_get_expr(i.indpred, i.indrelid) AS predicate
              FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
             WHERE i.indrelid = ? AND i.indisvalid""";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String family() {
        return "hygiene";
    }

    /** A schema- or database-wide check: a delta change (RECORDS, SAMPLE) gives it nothing new to look at. */
    @Override
    public boolean appliesTo(CheckScope scope) {
        return scope.kind() == CheckScope.Kind.ALL || scope.kind() == CheckScope.Kind.OBJECTS;
    }

    /** One parameter set's plan on the watched table: its conditions and the indexes it scans. */
    private record SetPlan(int set, String conditions, Set<String> scanned) {}

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        List<CheckResult> results = new ArrayList<>();
        try (Connection c = context.connect(true)) {
            for (WatchedTables.Watched w : WatchedTables.resolve(c, context.target())) {
                List<Row> generated = Row.query(c, GENERATED, w.oid());
                List<Row> allColumns = Row.query(c, "SELECT a.attname AS name, quote_ident(a.attname) AS quoted "
                        + "FROM pg_attribute a WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped", w.oid());
                IndexCoverage coverage = new IndexCoverage(Row.query(c, INDEXES, w.oid()), allColumns);
                for (RegisteredQuery q : context.target().config().queries()) {
                    if (!QueryExplainer.explainable(q) || generated.isEmpty()) {
                        continue;
                    }
                    List<SetPlan> plans = new ArrayList<>();
                    for (int set = 0; set < Math.max(1, q.params().size()); set++) {
                        JsonNode plan = QueryExplainer.explain(c, q, false, set);
                        String table = w.table().name();
                        plans.add(new SetPlan(set, String.join("\n", conditions(plan, table, new ArrayList<>())),
                                scannedIndexes(plan, table, new HashSet<>())));
                    }
                    for (Row g : generated) {
                        CheckResult r = judge(context, w, q, g, coverage, plans);
                        if (r != null) {
                            results.add(r);
                        }
                    }
                }
            }
            c.rollback();
        }
        return results;
    }

    /** Null when no plan of the query filters on {@code g}; a pass when an index serves every plan that does. */
    private CheckResult judge(CheckContext context, WatchedTables.Watched w, RegisteredQuery q, Row g,
                              IndexCoverage coverage, List<SetPlan> plans) {
        Subject subject = new Subject("query", q.name() + "/" + g.str("name"));
        // The defect is the column's missing index, however many registered queries filter on it: one finding.
        Subject defect = new Subject("generated-column", w.displayName() + "." + g.str("name"));
        boolean filtered = false;
        for (SetPlan p : plans) {
            IndexCoverage.Target target = new IndexCoverage.Target(g, mentions(p.conditions(), g),
                    Predicates.mentionsExpression(p.conditions(), g.str("expression")));
            if (!target.asColumn() && !target.asExpression()) {
                continue;
            }
            filtered = true;
            String why = coverage.unserved(target, p.conditions(), p.scanned());
            if (why != null) {
                return CheckResult.fail(finding(context, w, q, g, subject, p, why), defect);
            }
        }
        return filtered ? CheckResult.pass(RULE, subject, defect) : null;
    }

    private Finding finding(CheckContext context, WatchedTables.Watched w, RegisteredQuery q, Row g, Subject subject,
                            SetPlan p, String why) {
        List<Object> params = q.params().isEmpty() ? List.of() : q.params().get(p.set());
        String which = q.params().size() > 1 ? " for parameter set " + (p.set() + 1) + " " + params : "";
        return context.finding(this, RULE, Severity.HIGH, subject)
                .title("No index serves generated column " + g.str("name") + " of " + w.displayName()
                        + ", which registered queries filter on")
                .problem("Query " + q.name() + " filters on the generated column, which exists to be looked up, but no "
                        + "valid "
                        + "index has it as a usable key column" + which + (why.isEmpty() ? "" : ": " + why)
                        + ". Every such execution reads the whole table (" + w.displayName()
                        + ") once it is large enough for the planner to care.")
                .evidence("parameters (set " + (p.set() + 1) + " of " + Math.max(1, q.params().size()) + ")", "text",
                        String.valueOf(params))
                .evidence("plan conditions on " + w.displayName() + " (parameter set " + (p.set() + 1) + ")", "text",
                        p.conditions())
                .evidence("statement", "sql", q.sql())
                .fix("CREATE INDEX CONCURRENTLY ON " + w.table().qualifiedName() + " (" + g.str("quoted") + ");"
                        + "\n-- or a composite index whose leading columns are the query's other equality columns"
                        + (why.isEmpty() ? "." : ", without a WHERE clause that excludes these rows."))
                .reproductionSql(reproduction(q.sql(), params))
                .build();
    }

    /** PREPARE with the query's {@code $n}, then EXPLAIN EXECUTE with this set's values as literals. */
    static String reproduction(String sql, List<Object> params) {
        List<String> literals = new ArrayList<>();
        for (Object v : params) {
            literals.add(v == null ? "NULL" : "'" + String.valueOf(v).replace("'", "''") + "'");
        }
        return "PREPARE deltawatch_check AS " + sql.strip() + ";\nEXPLAIN (ANALYZE, BUFFERS) EXECUTE deltawatch_check"
                + (literals.isEmpty() ? "" : "(" + String.join(", ", literals) + ")") + ";";
    }

    /** Names of the indexes the plan scans on {@code table}. */
    static Set<String> scannedIndexes(JsonNode node, String table, Set<String> out) {
        if (table.equals(node.path("Relation Name").asText(null)) && node.has("Index Name")) {
            out.add(node.get("Index Name").asText());
        }
        // A Bitmap Index Scan names the index but not the relation; its Bitmap Heap Scan parent names the table.
        if (table.equals(node.path("Relation Name").asText(null))) {
            for (JsonNode child : node.path("Plans")) {
                bitmapIndexes(child, out);
            }
        }
        for (JsonNode child : node.path("Plans")) {
            scannedIndexes(child, table, out);
        }
        return out;
    }

    private static void bitmapIndexes(JsonNode node, Set<String> out) {
        if ("Bitmap Index Scan".equals(node.path("Node Type").asText()) && node.has("Index Name")) {
            out.add(node.get("Index Name").asText());
        }
        for (JsonNode child : node.path("Plans")) {
            bitmapIndexes(child, out);
        }
    }

    /** Condition texts of the scan nodes on {@code table} anywhere in the plan tree. */
    static List<String> conditions(JsonNode node, String table, List<String> out) {
        if (table.equals(node.path("Relation Name").asText(null))) {
            for (String key : List.of("Filter", "Index Cond", "Recheck Cond", "TID Cond")) {
                if (node.has(key)) {
                    out.add(key + ": " + node.get(key).asText());
                }
            }
        }
        for (JsonNode child : node.path("Plans")) {
            conditions(child, table, out);
        }
        return out;
    }

    static boolean mentions(String conditions, Row column) {
        String shown = column.str("quoted");
        return Pattern.compile("(?<![\\w$\"])" + Pattern.quote(shown) + "(?![\\w$\"])").matcher(conditions).find();
    }
}
