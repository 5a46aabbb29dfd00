package dev.deltawatch.worker.check.hygiene;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A generated column in a registered query's predicate that no index can serve (HIGH): generated columns exist to
 * be looked up, and without an index every such lookup evaluates the table. Which columns a query filters on is
 * read from its plan ({@code EXPLAIN (FORMAT JSON)}, no ANALYZE, sample parameters bound): the conditions of the
 * scan nodes on the watched table. Whether an index can serve the column is read from the catalog, not from the
 * plan, because on a small table the planner rightly prefers a sequential scan even when the index exists: a
 * valid index serves the column when it is a key column and every key column before it is also in the predicate.
 */
public final class GeneratedPredicateIndexCheck implements Check {
    public static final String NAME = "hygiene.generated-predicate-index";
    public static final String RULE = "generated-predicate-without-index";

    private static final String GENERATED = """
            SELECT a.attnum, a.attname AS name, quote_ident(a.attname) AS quoted
              FROM pg_attribute a WHERE a.attrelid = ? AND a.attgenerated <> '' AND NOT a.attisdropped""";
    private static final String INDEXES = """
            SELECT ic.relname AS name,
                   (SELECT array_agg(a.attname ORDER BY k.ord)::text[]
                      FROM unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, ord)
                      LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS keys
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

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        List<CheckResult> results = new ArrayList<>();
        try (Connection c = context.connect(true)) {
            for (WatchedTables.Watched w : WatchedTables.resolve(c, context.target())) {
                List<Row> generated = Row.query(c, GENERATED, w.oid());
                List<Row> indexes = Row.query(c, INDEXES, w.oid());
                List<Row> allColumns = Row.query(c, "SELECT a.attname AS name, quote_ident(a.attname) AS quoted "
                        + "FROM pg_attribute a WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped", w.oid());
                for (RegisteredQuery q : context.target().config().queries()) {
                    if (!QueryExplainer.explainable(q) || generated.isEmpty()) {
                        continue;
                    }
                    JsonNode plan = QueryExplainer.explain(c, q, false);
                    String conditions = String.join("\n", conditions(plan, w.table().name(), new ArrayList<>()));
                    for (Row g : generated) {
                        if (mentions(conditions, g)) {
                            results.add(judge(context, w, q, g, indexes, allColumns, conditions));
                        }
                    }
                }
            }
            c.rollback();
        }
        return results;
    }

    private CheckResult judge(CheckContext context, WatchedTables.Watched w, RegisteredQuery q, Row g,
                              List<Row> indexes, List<Row> columns, String conditions) {
        Subject subject = new Subject("query", q.name() + "/" + g.str("name"));
        for (Row index : indexes) {
            List<String> keys = index.strings("keys");
            int pos = keys.indexOf(g.str("name"));
            if (pos >= 0 && keys.subList(0, pos).stream().allMatch(k -> columns.stream()
                    .anyMatch(col -> col.str("name").equals(k) && mentions(conditions, col)))) {
                return CheckResult.pass(RULE, subject);
            }
        }
        return CheckResult.fail(context.finding(this, RULE, Severity.HIGH, subject)
                .title("Generated column " + g.str("name") + " filters query " + q.name() + " but no index serves it")
                .problem("The query filters on the generated column, which exists to be looked up, but no valid "
                        + "index has it as a usable key column: every execution reads the whole table (" + w.displayName()
                        + ") once it is large enough for the planner to care.")
                .evidence("plan conditions on " + w.displayName(), "text", conditions)
                .evidence("statement", "sql", q.sql())
                .fix("CREATE INDEX CONCURRENTLY ON " + w.table().qualifiedName() + " (" + g.str("quoted") + ");"
                        + "\n-- or a composite index whose leading columns are the query's other equality columns.")
                .reproductionSql("EXPLAIN (ANALYZE, BUFFERS) " + q.sql())
                .build());
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

    private static boolean mentions(String conditions, Row column) {
        String shown = column.str("quoted");
        return Pattern.compile("(?<![\\w$\"])" + Pattern.quote(shown) + "(?![\\w$\"])").matcher(conditions).find();
    }
}
