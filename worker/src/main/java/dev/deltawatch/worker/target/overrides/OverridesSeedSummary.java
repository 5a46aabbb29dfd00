package dev.deltawatch.worker.target.overrides;

import dev.deltawatch.worker.target.SeedReport;
import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What an overrides seed did, with the distribution measured back from the database (appends included).
 *
 * @param pages          pages written by this run
 * @param overrides      overrides written by this run
 * @param bytes          COPY payload bytes sent
 * @param seconds        wall time (install, COPY, ANALYZE)
 * @param tablePages     pages in the table now
 * @param overriddenShare share of pages with an override
 * @param hiddenHeroShare share of overrides that remove the hero ({@code "hero": null})
 */
public record OverridesSeedSummary(long pages, long overrides, long bytes, double seconds, long tablePages,
                                   double overriddenShare, double hiddenHeroShare) implements SeedReport {

    static OverridesSeedSummary measure(Statement s, long pages, long overrides, long bytes, double seconds)
            throws SQLException {
        try (ResultSet rs = s.executeQuery("""
                SELECT (SELECT count(*) FROM content_pages),
                       (SELECT count(*) FROM content_overrides),
                       (SELECT count(*) FROM content_overrides WHERE patch -> 'hero' = 'null'::jsonb)""")) {
            rs.next();
            long tablePages = rs.getLong(1);
            long tableOverrides = rs.getLong(2);
            return new OverridesSeedSummary(pages, overrides, bytes, seconds, tablePages,
                    (double) tableOverrides / Math.max(1, tablePages), (double) rs.getLong(3) / Math.max(1,
                    tableOverrides));
        }
    }

    @Override
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "seeded %,d pages and %,d overrides (%.1f MB) in %.1f s%n", pages, overrides,
                bytes / 1e6, seconds);
        out.printf(Locale.ROOT, "table now holds %,d pages: %.1f%% overridden; %.1f%% of overrides hide the hero%n",
                tablePages, overriddenShare * 100, hiddenHeroShare * 100);
    }
}
