package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Index flaws on the watched tables, from the catalog and {@code pg_stat_user_indexes}: invalid indexes (HIGH),
 * duplicate or left-prefix-redundant indexes (MEDIUM), indexes above a size never scanned since the statistics
 * were reset (LOW), and foreign keys (from or to a watched table) whose columns lead no index (MEDIUM).
 */
public final class IndexFlawsCheck implements Check {
    public static final String NAME = "hygiene.index-flaws";
    public static final String INVALID = "invalid-index";
    public static final String DUPLICATE = "duplicate-index";
    public static final String UNUSED = "unused-index";
    public static final String FK_UNINDEXED = "foreign-key-without-index";

    // An index being built CONCURRENTLY right now is invalid until it finishes: that is not a flaw.
    private static final String INDEXES = """
            SELECT i.indexrelid::bigint AS oid, i.indrelid::bigint AS table_oid, n.nspname AS schema,
                   ic.relname AS name, tc.relname AS table_name, i.indisunique AS is_unique, i.indisvalid AS valid,
                   EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)
                       AS building,
                   i.indkey::text AS keys, coalesce(pg_get_expr(i.indexprs, i.indrelid), '') AS exprs,
                   coalesce(pg_get_expr(i.indpred, i.indrelid), '') AS pred, i.indclass::text AS opclasses,
                   i.indcollation::text AS collations, am.amname AS am, pg_get_indexdef(i.indexrelid) AS def,
                   pg_relation_size(i.indexrelid) AS bytes, coalesce(s.idx_scan, 0) AS scans,
                   EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) AS backs_constraint,
                   quote_ident(n.nspname) || '.' || quote_ident(ic.relname) AS quoted
              FROM pg_index i
              JOIN pg_class ic ON ic.oid = i.indexrelid
              JOIN pg_class tc ON tc.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = ic.relnamespace
              JOIN pg_am am ON am.oid = ic.relam
              LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
             WHERE i.indrelid = ANY(?)
             ORDER BY i.indrelid, ic.relname""";

    private final HygieneSettings settings;

    public IndexFlawsCheck(HygieneSettings settings) {
        this.settings = settings;
    }

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
            List<WatchedTables.Watched> watched = WatchedTables.withQueriedTables(c, context);
            Long[] oids = WatchedTables.oids(watched);
            List<Row> indexes = Row.query(c, INDEXES, (Object) oids);
            String statsReset = Row.one(c, "SELECT coalesce(stats_reset::text, 'never (since the database was "
                    + "created)') AS r FROM pg_stat_database WHERE datname = current_database()").str("r");
            for (Row index : indexes) {
                Subject subject = new Subject("index", index.str("schema") + "." + index.str("name"));
                results.add(invalid(context, index, subject));
                results.add(duplicate(context, index, indexes, subject));
                results.add(unused(context, index, subject, statsReset));
            }
            results.addAll(new ForeignKeyIndexes(this, context).run(c, oids));
            c.commit();
        }
        return results;
    }

    private CheckResult invalid(CheckContext context, Row index, Subject subject) {
        if (index.bool("valid") || index.bool("building")) {
            return CheckResult.pass(INVALID, subject);
        }
        String name = index.str("quoted");
        return CheckResult.fail(context.finding(this, INVALID, Severity.HIGH, subject)
                .title("Invalid index " + subject.name() + " on " + index.str("table_name"))
                .problem("The index is marked invalid (a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY): "
                        + "the planner never uses it, yet every write still maintains it, and a UNIQUE one does "
                        + "not enforce uniqueness. Any later table rewrite (ALTER TABLE ... ADD COLUMN ... STORED, "
                        + "SET EXPRESSION) rebuilds it and can fail on the same bad data, blocking that migration.")
                .evidence("pg_index", "sql", index.str("def") + "  -- indisvalid = false")
                .fix("REINDEX INDEX CONCURRENTLY " + name + ";\n-- or, if the build failed on bad data, fix the "
                        + "data, then: DROP INDEX CONCURRENTLY " + name + "; and recreate it CONCURRENTLY.")
                .reproductionSql("SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indexrelid = '"
                        + name.replace("'", "''") + "'::regclass;")
                .build());
    }

    private CheckResult duplicate(CheckContext context, Row index, List<Row> all, Subject subject) {
        for (Row other : all) {
            String relation = IndexShapes.redundancy(index, other);
            if (relation != null) {
                return CheckResult.fail(context.finding(this, DUPLICATE, Severity.MEDIUM, subject)
                        .title("Duplicate index " + subject.name() + " on " + index.str("table_name"))
                        .problem("Index " + index.str("name") + " is " + relation + " " + other.str("name")
                                + " (same table, access method, expressions and predicate): every write maintains "
                                + "both, and the planner gains nothing from the second.")
                        .evidence("redundant", "sql", index.str("def"))
                        .evidence("kept", "sql", other.str("def"))
                        .fix("DROP INDEX CONCURRENTLY " + index.str("quoted") + ";")
                        .expectedImprovement(index.lng("bytes") / 1024 + " kB less index to write and cache")
                        .build());
            }
        }
        return CheckResult.pass(DUPLICATE, subject);
    }

    private CheckResult unused(CheckContext context, Row index, Subject subject, String statsReset) {
        if (index.lng("scans") > 0 || index.bool("is_unique") || index.bool("backs_constraint")
                || index.lng("bytes") < settings.unusedIndexMinBytes()) {
            return CheckResult.pass(UNUSED, subject);
        }
        return CheckResult.fail(context.finding(this, UNUSED, Severity.LOW, subject)
                .title("Unused index " + subject.name() + " (" + index.lng("bytes") / 1024 + " kB)")
                .problem("The index has not been scanned once since the statistics were reset (" + statsReset
                        + "), yet every write maintains it. Check replicas and rare jobs before dropping it.")
                .evidence("pg_stat_user_indexes", "text", "idx_scan = 0, size = " + index.lng("bytes")
                        + " bytes, stats_reset = " + statsReset + "\n" + index.str("def"))
                .fix("DROP INDEX CONCURRENTLY " + index.str("quoted") + ";")
                .build());
    }
}
