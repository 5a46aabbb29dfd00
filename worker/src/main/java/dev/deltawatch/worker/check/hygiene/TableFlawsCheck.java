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
import java.util.Locale;

/**
 * Table-level flaws of the watched tables: no primary key (HIGH); a table with at least
 * {@code seqScanMinLiveRows} live rows read mostly by sequential scans (PgHero's rule: index share under 95%)
 * (MEDIUM); and a column named like a reference ({@code x_id}) to an existing table {@code x}/{@code xs} with no
 * foreign key (LOW, a hint to escalate the schema design).
 */
public final class TableFlawsCheck implements Check {
    public static final String NAME = "hygiene.table-flaws";
    public static final String NO_PRIMARY_KEY = "no-primary-key";
    public static final String SEQ_SCAN_SHARE = "mostly-sequential-reads";
    public static final String REFERENCE_WITHOUT_FK = "reference-column-without-foreign-key";

    private static final String TABLES = """
            SELECT t.oid::bigint AS oid, n.nspname AS schema, t.relname AS name,
                   EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = t.oid AND k.contype = 'p') AS has_pk,
                   coalesce(s.n_live_tup, 0) AS live_rows, coalesce(s.seq_scan, 0) AS seq_scans,
                   coalesce(s.seq_tup_read, 0) AS seq_rows_read, coalesce(s.idx_scan, 0) AS idx_scans
              FROM pg_class t
              JOIN pg_namespace n ON n.oid = t.relnamespace
              LEFT JOIN pg_stat_user_tables s ON s.relid = t.oid
             WHERE t.oid = ANY(?)""";

    // Candidate referenced tables: x, xs, xes and x(y->ies) in the same schema, for a column named x_id.
    private static final String REFERENCE_COLUMNS = """
            SELECT n.nspname AS schema, t.relname AS table_name, a.attname AS column_name,
                   quote_ident(n.nspname) || '.' || quote_ident(t.relname) AS quoted_table,
                   quote_ident(a.attname) AS quoted_column,
                   quote_ident(n.nspname) || '.' || quote_ident(r.relname) AS candidate,
                   quote_ident(t.relname || '_' || a.attname || '_fkey') AS constraint_name
              FROM pg_attribute a
              JOIN pg_class t ON t.oid = a.attrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace
              LEFT JOIN LATERAL (
                   SELECT r.relname FROM pg_class r
                    WHERE r.relnamespace = t.relnamespace AND r.relkind IN ('r', 'p') AND r.oid <> t.oid
                      AND r.relname IN (left(a.attname, -3), left(a.attname, -3) || 's',
                                        left(a.attname, -3) || 'es', regexp_replace(left(a.attname, -3), 'y$', 'ies'))
                    ORDER BY r.relname LIMIT 1) r ON true
             WHERE a.attrelid = ANY(?) AND a.attnum > 0 AND NOT a.attisdropped AND a.attname LIKE '%\\_id'
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = a.attrelid
                                  AND k.contype IN ('f', 'p') AND a.attnum = ANY (k.conkey))
             ORDER BY 1, 2, 3""";

    private final HygieneSettings settings;

    public TableFlawsCheck(HygieneSettings settings) {
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
            for (Row table : Row.query(c, TABLES, (Object) WatchedTables.oids(watched))) {
                WatchedTables.Watched w = watched.stream().filter(x -> x.oid() == table.lng("oid")).findFirst()
                        .orElseThrow();
                Subject subject = new Subject("table", w.displayName());
                results.add(primaryKey(context, w, table, subject));
                results.add(seqScanShare(context, table, subject));
            }
            for (Row column : Row.query(c, REFERENCE_COLUMNS, (Object) WatchedTables.oids(watched))) {
                results.add(referenceWithoutForeignKey(context, column));
            }
            c.commit();
        }
        return results;
    }

    private CheckResult primaryKey(CheckContext context, WatchedTables.Watched w, Row table, Subject subject) {
        if (table.bool("has_pk")) {
            return CheckResult.pass(NO_PRIMARY_KEY, subject);
        }
        String t = w.table().qualifiedName();
        String key = w.table().key();
        return CheckResult.fail(context.finding(this, NO_PRIMARY_KEY, Severity.HIGH, subject)
                .title("Watched table " + subject.name() + " has no primary key")
                .problem("Without a primary key, duplicate keys can enter, logical replication needs REPLICA "
                        + "IDENTITY FULL to update or delete, and optimistic locking by key has nothing enforcing "
                        + "that the key names one row.")
                .evidence("catalog", "text", "pg_constraint has no contype = 'p' row for " + subject.name())
                .fix("CREATE UNIQUE INDEX CONCURRENTLY " + quotePk(w) + " ON " + t + " (" + key + ");\n"
                        + "ALTER TABLE " + t + " ADD CONSTRAINT " + quotePk(w) + " PRIMARY KEY USING INDEX "
                        + quotePk(w) + ";")
                .build());
    }

    private static String quotePk(WatchedTables.Watched w) {
        return dev.deltawatch.worker.check.SqlIdentifiers.quote(w.table().name() + "_pkey");
    }

    private CheckResult seqScanShare(CheckContext context, Row table, Subject subject) {
        long live = table.lng("live_rows");
        long seq = table.lng("seq_scans");
        long idx = table.lng("idx_scans");
        double share = seq + idx == 0 ? 1 : (double) idx / (seq + idx);
        if (live < settings.seqScanMinLiveRows() || share >= settings.minIndexScanShare()) {
            return CheckResult.pass(SEQ_SCAN_SHARE, subject);
        }
        String figures = String.format(Locale.ROOT, "n_live_tup = %d, seq_scan = %d, seq_tup_read = %d, "
                + "idx_scan = %d, index share = %.1f%% (rule: >= %.1f%% once a table has %d live rows)", live, seq,
                table.lng("seq_rows_read"), idx, share * 100, settings.minIndexScanShare() * 100,
                settings.seqScanMinLiveRows());
        return CheckResult.fail(context.finding(this, SEQ_SCAN_SHARE, Severity.MEDIUM, subject)
                .title(String.format(Locale.ROOT, "%s is mostly read by sequential scans (%.1f%% index scans)",
                        subject.name(), share * 100))
                .problem("Most reads of this table scan it whole. At " + live + " rows each such read costs time "
                        + "proportional to the table, and it grows with it.")
                .evidence("pg_stat_user_tables", "text", figures)
                .fix("Find the statements that scan it (SELECT query, calls, rows FROM pg_stat_statements WHERE "
                        + "query ILIKE '%" + table.str("name").replace("'", "''") + "%' ORDER BY total_exec_time "
                        + "DESC LIMIT 10), EXPLAIN them, and CREATE INDEX CONCURRENTLY on the columns their "
                        + "predicates filter on (or add the missing LIMIT / predicate).")
                .build());
    }

    private CheckResult referenceWithoutForeignKey(CheckContext context, Row column) {
        Subject subject = new Subject("column", column.str("schema") + "." + column.str("table_name") + "."
                + column.str("column_name"));
        String candidate = column.str("candidate");
        if (candidate == null) {
            return CheckResult.pass(REFERENCE_WITHOUT_FK, subject);
        }
        String t = column.str("quoted_table");
        String k = column.str("constraint_name");
        return CheckResult.fail(context.finding(this, REFERENCE_WITHOUT_FK, Severity.LOW, subject)
                .title("Column " + subject.name() + " looks like a reference to " + candidate + " but has no "
                        + "foreign key")
                .problem("Nothing stops this column from pointing at rows that do not exist. If it is a "
                        + "reference, escalate the schema design: add the key (and an index on the column).")
                .evidence("catalog", "text", "column " + column.str("column_name") + ", table " + candidate
                        + " exists, no FOREIGN KEY covers the column")
                .fix("ALTER TABLE " + t + " ADD CONSTRAINT " + k + " FOREIGN KEY (" + column.str("quoted_column")
                        + ") REFERENCES " + candidate + " NOT VALID;\nALTER TABLE " + t + " VALIDATE CONSTRAINT "
                        + k + ";\nCREATE INDEX CONCURRENTLY ON " + t + " (" + column.str("quoted_column") + ");")
                .build());
    }
}
