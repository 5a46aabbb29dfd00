package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.SqlIdentifiers;
import java.util.List;
import java.util.Locale;

/** The HIGH finding for stored generated values that drifted from their expression, with the backfill to run. */
final class StaleValuesFinding {
    private StaleValuesFinding() {}

    static Finding build(Check check, CheckContext context, WatchedTables.Watched w,
                         StaleGeneratedValuesCheck.GeneratedColumn col, Subject subject, long sampled, long drifted,
                         double tableRows, List<String> examples, int batchRows) {
        String table = w.table().qualifiedName();
        String rewrite = rewriteColumn(w, col);
        long estimate = Math.round(drifted * tableRows / Math.max(1, sampled));
        String stale = col.quoted() + " IS DISTINCT FROM (" + col.expression() + ")::" + col.type();
        String backfill = "-- Run repeatedly (one short transaction per batch) until it reports UPDATE 0.\n"
                + "-- Writing " + rewrite + " to itself makes PostgreSQL recompute the stored value.\n"
                + "WITH batch AS (\n    SELECT " + w.table().key() + " FROM " + table + "\n     WHERE " + stale
                + "\n     LIMIT " + batchRows + "\n       FOR UPDATE SKIP LOCKED)\nUPDATE " + table + " t SET "
                + rewrite + " = t." + rewrite + "\n  FROM batch WHERE t." + w.table().key() + " = batch."
                + w.table().key() + ";";
        String rebuild = "-- Or rebuild in one go (PostgreSQL 17+; rewrites the table under an ACCESS EXCLUSIVE lock):\n"
                + "ALTER TABLE " + table + " ALTER COLUMN " + col.quoted() + " SET EXPRESSION AS ("
                + col.expression() + ");";
        return context.finding(check, StaleGeneratedValuesCheck.RULE, Severity.HIGH, subject)
                .title(String.format(Locale.ROOT, "Stale stored values in %s: %d of %d sampled rows differ from "
                        + "the expression", subject.name(), drifted, sampled))
                .problem("The STORED generated column holds values its expression no longer produces, most likely "
                        + "because a function it calls (the merge function?) was redefined: PostgreSQL does not "
                        + "recompute stored values then, only when a column they depend on is written. Reads and "
                        + "indexes on " + col.name() + " return the old results. About " + estimate + " of ~"
                        + Math.round(tableRows) + " rows are affected (extrapolated from the sample).")
                .evidence("sample", "text", String.format(Locale.ROOT, "sampled %d rows, %d drifted (%.1f%%)",
                        sampled, drifted, 100.0 * drifted / Math.max(1, sampled)))
                .evidence("examples (key: stored -> now)", "text", String.join("\n", examples))
                .evidence("expression (pg_get_expr)", "sql", col.expression())
                .fix(backfill + "\n" + rebuild + "\n-- Note: each backfilled row is a delta UPDATE without a version "
                        + "bump; capture will see it. Run it in a window the version-discipline check knows about.")
                .reproductionSql("SELECT count(*) FILTER (WHERE " + stale + ") AS stale, count(*) AS total FROM "
                        + table + ";")
                .build();
    }

    /** The column the backfill writes to itself: the delta column if the expression depends on it. */
    private static String rewriteColumn(WatchedTables.Watched w, StaleGeneratedValuesCheck.GeneratedColumn col) {
        if (col.dependsOn().isEmpty() || col.dependsOn().contains(w.table().deltaColumn())) {
            return w.table().delta() != null ? w.table().delta() : w.table().mirror();
        }
        return SqlIdentifiers.quote(col.dependsOn().get(0));
    }
}
