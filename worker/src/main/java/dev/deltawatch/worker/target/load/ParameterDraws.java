package dev.deltawatch.worker.target.load;

import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.worker.check.ResolvedTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Realistic parameters for the registered queries, drawn from the data itself: (organization, category) pairs
 * weighted by how many records they hold, record ids and forecast dates from a repeatable table sample. Which
 * parameter is which is inferred from the query's example parameters: a number is a record id, an ISO date
 * starts (then ends, one month later) a window, a known organization or category takes the drawn pair's value.
 * Immutable after {@link #sample}; thread-safe (callers pass their own random stream).
 */
public final class ParameterDraws {
    private static final int SAMPLE_ROWS = 20_000;
    private static final int HOT_SET = 200;
    private static final java.util.regex.Pattern ISO_DATE = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final List<String[]> pairs; // {organization, category}
    private final long[] pairCumulative;
    private final long[] ids;
    private final List<LocalDate> dates;
    private final Set<String> organizations = new HashSet<>();
    private final Set<String> categories = new HashSet<>();

    private ParameterDraws(List<String[]> pairs, long[] pairWeights, long[] ids, List<LocalDate> dates) {
        this.pairs = pairs;
        this.pairCumulative = new long[pairWeights.length];
        long acc = 0;
        for (int i = 0; i < pairWeights.length; i++) {
            acc += pairWeights[i];
            pairCumulative[i] = acc;
        }
        this.ids = ids;
        this.dates = dates;
        pairs.forEach(p -> {
            organizations.add(p[0]);
            categories.add(p[1]);
        });
    }

    /** Samples the reference table of {@code target}. Fails clearly when the table is empty (seed it first). */
    public static ParameterDraws sample(Connection c, ResolvedTarget target, long seed) throws SQLException {
        String t = target.primaryTable().qualifiedName();
        String key = target.primaryTable().key();
        double pct = samplePercent(c, t);
        List<String[]> pairs = new ArrayList<>();
        List<Long> weights = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT organization_id, merged_category, count(*) FROM " + t
                + " WHERE merged_category IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                pairs.add(new String[] {rs.getString(1), rs.getString(2)});
                weights.add(rs.getLong(3));
            }
        }
        List<Long> ids = new ArrayList<>();
        List<LocalDate> dates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + key + ", merged_forecast_start FROM " + t
                + " TABLESAMPLE BERNOULLI (" + pct + ") REPEATABLE (" + (seed % 1_000_000) + ") LIMIT " + SAMPLE_ROWS);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
                if (rs.getDate(2) != null) {
                    dates.add(rs.getDate(2).toLocalDate());
                }
            }
        }
        if (pairs.isEmpty() || ids.isEmpty()) {
            throw new IllegalStateException("table " + t + " has no records to draw load parameters from; run "
                    + "`deltawatch seed` first");
        }
        return new ParameterDraws(pairs, weights.stream().mapToLong(Long::longValue).toArray(),
                ids.stream().mapToLong(Long::longValue).toArray(), dates);
    }

    private static double samplePercent(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = ?::regclass")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                double tuples = rs.next() ? rs.getDouble(1) : -1;
                return tuples <= SAMPLE_ROWS * 2 ? 100.0 : Math.max(0.01, 200.0 * SAMPLE_ROWS / tuples);
            }
        }
    }

    /** An (organization, category) pair, weighted by its record count. */
    public String[] pair(SplittableRandom r) {
        long u = r.nextLong(pairCumulative[pairCumulative.length - 1]);
        int lo = 0;
        int hi = pairCumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (pairCumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return pairs.get(lo);
    }

    /** The same draws with only the {@code n} heaviest pairs, so another client can enumerate them (pgbench). */
    public ParameterDraws restrictedTo(int n) {
        List<String[]> top = topPairs(n);
        long[] weights = new long[top.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = pairWeight(i);
        }
        return new ParameterDraws(top, weights, ids, dates);
    }

    /** The {@code n} heaviest pairs, for scripts that must enumerate them (pgbench). */
    public List<String[]> topPairs(int n) {
        return pairs.subList(0, Math.min(n, pairs.size()));
    }

    public long pairWeight(int index) {
        return pairCumulative[index] - (index == 0 ? 0 : pairCumulative[index - 1]);
    }

    public long id(SplittableRandom r) {
        return ids[r.nextInt(ids.length)];
    }

    /** A record id for a write: 80% from a small hot set, as edits concentrate on current work. */
    public long writeId(SplittableRandom r) {
        return r.nextInt(100) < 80 ? ids[r.nextInt(Math.min(HOT_SET, ids.length))] : id(r);
    }

    /** Parameters for {@code query}, bound in textual order of its placeholders. */
    public Object[] draw(RegisteredQuery query, SplittableRandom r) {
        List<Object> example = query.params().isEmpty() ? List.of() : query.params().get(0);
        Object[] out = new Object[example.size()];
        String[] pair = pair(r);
        LocalDate windowStart = null;
        for (int i = 0; i < out.length; i++) {
            Object e = example.get(i);
            if (e instanceof Number) {
                out[i] = id(r);
            } else if (e instanceof String s && ISO_DATE.matcher(s).matches()) {
                if (windowStart == null && !dates.isEmpty()) {
                    windowStart = dates.get(r.nextInt(dates.size()));
                    out[i] = windowStart.toString();
                } else {
                    out[i] = windowStart == null ? s : windowStart.plusMonths(1).toString();
                }
            } else if (e instanceof String s && organizations.contains(s)) {
                out[i] = pair[0];
            } else if (e instanceof String s && categories.contains(s)) {
                out[i] = pair[1];
            } else {
                out[i] = e;
            }
        }
        return out;
    }
}
