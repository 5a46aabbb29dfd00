package dev.deltawatch.worker.target.drafts;

import dev.deltawatch.worker.target.SeedReport;
import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What a drafts seed did, with the distribution measured back from the database (appends included).
 *
 * @param items          items written by this run
 * @param drafts         drafts written by this run
 * @param bytes          COPY payload bytes sent
 * @param seconds        wall time (install, COPY, ANALYZE, KPI refresh)
 * @param tableItems     items in the table now
 * @param tableDrafts    drafts in the table now
 * @param draftedShare   share of items with at least one draft
 * @param multiAuthorShare share of drafted items with drafts by two or more authors
 * @param authors        distinct draft authors
 * @param kpiRows        rows of the KPI materialized view after the refresh
 */
public record DraftsSeedSummary(long items, long drafts, long bytes, double seconds, long tableItems, long tableDrafts,
                                double draftedShare, double multiAuthorShare, long authors, long kpiRows)
        implements SeedReport {

    static DraftsSeedSummary measure(Statement s, long items, long drafts, long bytes, double seconds)
            throws SQLException {
        try (ResultSet rs = s.executeQuery("""
                SELECT (SELECT count(*) FROM catalog_items),
                       (SELECT count(*) FROM item_drafts),
                       (SELECT count(DISTINCT item_sku) FROM item_drafts),
                       (SELECT count(*) FROM (SELECT 1 FROM item_drafts GROUP BY item_sku HAVING count(*) > 1) m),
                       (SELECT count(DISTINCT author_id) FROM item_drafts),
                       (SELECT count(*) FROM draft_kpis_by_category)""")) {
            rs.next();
            long tableItems = rs.getLong(1);
            long drafted = rs.getLong(3);
            return new DraftsSeedSummary(items, drafts, bytes, seconds, tableItems, rs.getLong(2),
                    (double) drafted / Math.max(1, tableItems), (double) rs.getLong(4) / Math.max(1, drafted),
                    rs.getLong(5), rs.getLong(6));
        }
    }

    @Override
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "seeded %,d items and %,d drafts (%.1f MB) in %.1f s%n", items, drafts, bytes / 1e6,
                seconds);
        out.printf(Locale.ROOT, "tables now hold %,d items and %,d drafts: %.1f%% of items drafted, %.1f%% of those "
                + "by several authors, %,d authors; KPI view: %,d categories%n", tableItems, tableDrafts,
                draftedShare * 100, multiAuthorShare * 100, authors, kpiRows);
    }
}
