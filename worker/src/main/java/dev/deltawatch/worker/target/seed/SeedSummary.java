package dev.deltawatch.worker.target.seed;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a seed run did, and the distribution measured back from the database (not from the generator), so a user
 * can see the declared shares hold on the table as it now is (appends included).
 *
 * @param rows            rows written by this run
 * @param bytes           COPY payload bytes sent
 * @param seconds         wall time of the whole run (COPY, index rebuild, ANALYZE)
 * @param phases          seconds per phase: copy, indexes, analyze
 * @param tableRows       rows in the table after the run
 * @param deltaShare      share of rows with a delta
 * @param actualizedShare share of rows whose mirror carries actual dates
 * @param avgMirrorBytes  average mirror JSON text length
 * @param organizations   row count per organization, most first
 */
public record SeedSummary(long rows, long bytes, double seconds, Map<String, Double> phases, long tableRows,
                          double deltaShare, double actualizedShare, double avgMirrorBytes,
                          Map<String, Long> organizations) implements dev.deltawatch.worker.target.SeedReport {

    public double rowsPerSecond() {
        return rows / Math.max(seconds, 1e-9);
    }

    static SeedSummary measure(Connection c, String table, long rows, long bytes, double seconds,
                               Map<String, Double> phases) throws SQLException {
        try (Statement s = c.createStatement()) {
            long total;
            double deltas;
            double actualized;
            double avgMirror;
            try (ResultSet rs = s.executeQuery("SELECT count(*), avg((delta_json IS NOT NULL)::int), "
                    + "avg((mirror_json ? 'actual')::int), avg(octet_length(mirror_json::text)) FROM " + table)) {
                rs.next();
                total = rs.getLong(1);
                deltas = rs.getDouble(2);
                actualized = rs.getDouble(3);
                avgMirror = rs.getDouble(4);
            }
            Map<String, Long> orgs = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT organization_id, count(*) FROM " + table
                    + " GROUP BY 1 ORDER BY 2 DESC, 1")) {
                while (rs.next()) {
                    orgs.put(rs.getString(1), rs.getLong(2));
                }
            }
            return new SeedSummary(rows, bytes, seconds, phases, total, deltas, actualized, avgMirror, orgs);
        }
    }

    @Override
    public void print(PrintWriter out) {
        out.printf(Locale.ROOT, "seeded %,d rows (%.1f MB) in %.1f s: %,.0f rows/s  [phases: %s]%n", rows,
                bytes / 1e6, seconds, rowsPerSecond(), phases);
        out.printf(Locale.ROOT, "table now has %,d rows: %.1f%% with deltas, %.1f%% actualized, mirror JSON avg %,.0f "
                + "bytes%n", tableRows, deltaShare * 100, actualizedShare * 100, avgMirrorBytes);
        StringBuilder b = new StringBuilder("per organization:");
        organizations.forEach((org, n) -> b.append(String.format(Locale.ROOT, " %s=%,d (%.1f%%)", org, n,
                100.0 * n / Math.max(1, tableRows))));
        out.println(b);
    }
}
