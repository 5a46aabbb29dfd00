package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.Documents;
import dev.deltawatch.worker.check.SqlIdentifiers;
import dev.deltawatch.worker.check.merge.MergeVerdicts;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The findings of stale stored generated values: HIGH with the backfill to run when the values are stale, or, when
 * the merge function is what is wrong, MEDIUM and linked to the merge finding with no backfill at all.
 */
final class StaleValuesFinding {
    private StaleValuesFinding() {}

    static Finding build(Check check, CheckContext context, WatchedTables.Watched w,
                         StaleGeneratedValuesCheck.GeneratedColumn col, Subject subject, long sampled, long drifted,
                         double tableRows, List<String> examples, int batchRows) {
        String table = w.table().qualifiedName();
        String rewrite = rewriteColumn(w, col);
        long estimate = Math.round(drifted * tableRows / Math.max(1, sampled));
        String stale = col.quoted() + " IS DISTINCT FROM (" + col.expression() + ")::" + col.type();
        String backfill = "-- Run only while the merge checks report nothing: it recomputes through the function, so it is\n"
                + "-- only as right as the function (the sampled documents agreed with the contract).\n"
                + "-- Run repeatedly (one short transaction per batch) until it reports UPDATE 0.\n"
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
                .problem("The STORED generated column holds values its expression no longer produces (for a column "
                        + "the target config declares: values other than the contract's, which the expression gives "
                        + "again now), most likely because a function it calls was redefined, or was broken when "
                        + "these rows were written and fixed since: PostgreSQL does not recompute stored values then, "
                        + "only when a column they depend on is written. Reads and indexes on " + col.name()
                        + " return the old results. About " + estimate + " of ~" + Math.round(tableRows)
                        + " rows are affected (extrapolated from the sample).")
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

    /**
     * The finding for wrong stored values while the merge function disagrees with the contract in the same sample:
     * they follow from the merge defect, so it links the merge finding(s) by fingerprint and points the fix at the
     * function. No backfill: it would recompute every row through the broken function, overwriting the stored
     * values that are still right with its wrong ones.
     *
     * @param declared whether the column is declared in the target config (judged against the oracle)
     */
    static Finding followsFromMerge(Check check, CheckContext context, WatchedTables.Watched w,
                                    StaleGeneratedValuesCheck.GeneratedColumn col, Subject subject, long sampled,
                                    StoredValueTally tally, MergeVerdicts verdicts, boolean declared) {
        String merge = context.target().merge().displayName();
        String links = String.join(", ", verdicts.defects());
        String compared = declared ? "hold a value other than the contract's" : "differ from what the expression "
                + "gives now (the column is not declared in the target config, so there is no oracle for it)";
        return context.finding(check, StaleGeneratedValuesCheck.RULE, Severity.MEDIUM, subject)
                .title(String.format(Locale.ROOT, "Stored values in %s follow from the merge defect: %d of %d "
                        + "sampled rows %s", subject.name(), tally.wrong(), sampled,
                        declared ? "differ from the contract" : "differ from the expression"))
                .problem("This follows from the merge defect " + links + " (merge.differential): " + merge
                        + " disagrees with the declared contract on sampled documents of " + w.displayName() + ". "
                        + tally.wrong() + " of " + sampled + " sampled rows of " + col.name() + " " + compared
                        + (declared ? " (" + tally.fromMerge() + " computed by the broken function, " + tally.stale()
                        + " stale)" : "") + ". Rows whose stored value is the contract's are not stale, even where "
                        + "the function now gives another value; recomputing them now would write the function's "
                        + "wrong values, so no backfill is proposed.")
                .evidence(MergeVerdicts.FOLLOWS_FROM, "text", String.join("\n", verdicts.defects()))
                .evidence("sample", "text", String.format(Locale.ROOT, "sampled %d rows, %d wrong (%.1f%%)",
                        sampled, tally.wrong(), 100.0 * tally.wrong() / Math.max(1, sampled)))
                .evidence("examples", "text", String.join("\n", tally.examples()))
                .evidence("expression (pg_get_expr)", "sql", col.expression())
                .fix("Fix " + merge + " as the merge finding " + links + " says. Do not backfill " + col.name()
                        + " before that: any UPDATE of a column the expression depends on recomputes it through the "
                        + "broken function. Once the merge checks pass, this check compares again and proposes a "
                        + "backfill only for rows that are still stale.")
                .reproductionSql("-- The example rows: the stored value and what the (broken) function gives now.\n"
                        + "SELECT " + w.table().key() + ", " + col.quoted() + " AS stored, (" + col.expression()
                        + ")::" + col.type() + " AS function_gives FROM " + w.table().qualifiedName() + " WHERE "
                        + w.table().key() + " IN (" + tally.keys().stream().distinct().map(k -> "CAST("
                        + Documents.literal(k) + " AS " + w.table().keyType() + ")").collect(Collectors.joining(", "))
                        + ");")
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
