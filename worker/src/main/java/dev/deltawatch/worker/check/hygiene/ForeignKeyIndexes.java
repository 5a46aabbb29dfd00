package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Foreign keys from or to a watched table whose referencing columns are not the leading columns (in any order) of
 * a valid, non-partial index on the referencing table. Without one, every DELETE or key UPDATE on the referenced
 * table scans the referencing table, and joins along the key cannot use an index.
 */
final class ForeignKeyIndexes {
    private static final String UNINDEXED = """
            SELECT n.nspname AS schema, con.conname AS name, t.relname AS table_name,
                   quote_ident(n.nspname) || '.' || quote_ident(t.relname) AS quoted_table,
                   con.confrelid::regclass::text AS referenced, pg_get_constraintdef(con.oid) AS def,
                   (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord)
                      FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
                   NOT EXISTS (
                       SELECT 1 FROM pg_index i
                        WHERE i.indrelid = con.conrelid AND i.indisvalid AND i.indpred IS NULL
                          AND (i.indkey::int2[])[0:cardinality(con.conkey) - 1] @> con.conkey
                          AND (i.indkey::int2[])[0:cardinality(con.conkey) - 1] <@ con.conkey) AS unindexed
              FROM pg_constraint con
              JOIN pg_class t ON t.oid = con.conrelid
              JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE con.contype = 'f' AND (con.conrelid = ANY(?) OR con.confrelid = ANY(?))
             ORDER BY 1, 2""";

    private final Check check;
    private final CheckContext context;

    ForeignKeyIndexes(Check check, CheckContext context) {
        this.check = check;
        this.context = context;
    }

    List<CheckResult> run(Connection c, Long[] watchedOids) throws SQLException {
        List<CheckResult> results = new ArrayList<>();
        for (Row fk : Row.query(c, UNINDEXED, watchedOids, watchedOids)) {
            Subject subject = new Subject("constraint", fk.str("schema") + "." + fk.str("table_name") + "."
                    + fk.str("name"));
            if (!fk.bool("unindexed")) {
                results.add(CheckResult.pass(IndexFlawsCheck.FK_UNINDEXED, subject));
                continue;
            }
            results.add(CheckResult.fail(context.finding(check, IndexFlawsCheck.FK_UNINDEXED, Severity.MEDIUM, subject)
                    .title("Foreign key " + fk.str("name") + " on " + fk.str("table_name") + " has no supporting index")
                    .problem("No valid, non-partial index on " + fk.str("table_name") + " starts with ("
                            + fk.str("columns") + "). Each DELETE or key change on " + fk.str("referenced")
                            + " scans " + fk.str("table_name") + " to enforce the key, under lock, and joins on it "
                            + "cannot use an index.")
                    .evidence("constraint", "sql", fk.str("def"))
                    .fix("CREATE INDEX CONCURRENTLY ON " + fk.str("quoted_table") + " (" + fk.str("columns") + ");")
                    .build()));
        }
        return results;
    }
}
