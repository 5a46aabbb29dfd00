package dev.deltawatch.worker.target.load;

import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.target.seed.RecordGenerator;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The operations a simulated user performs, each timed into its {@link OperationStats}: a registered read query
 * with drawn parameters; a delta write through the target's write function that re-reads and retries on a
 * version conflict as a real client would; and a batch upsert of mirrors as the upstream sync sends them.
 * Every value is bound; table, column and function names come from the catalog-checked {@link ResolvedTarget}.
 * Thread-safe: each call takes its own pooled connection.
 */
final class Workload {
    static final String WRITE_OP = "delta-write";
    static final String BULK_OP = "mirror-upsert-batch";
    static final int MAX_WRITE_ATTEMPTS = 10;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");

    private record Prepared(RegisteredQuery query, String sql, int[] order, OperationStats stats) {}

    private final DataSource pool;
    private final ResolvedTarget target;
    private final ParameterDraws draws;
    private final ErrorCounts errors;
    private final List<Prepared> reads = new ArrayList<>();
    private final Map<String, OperationStats> stats = new LinkedHashMap<>();

    Workload(DataSource pool, ResolvedTarget target, ParameterDraws draws, List<RegisteredQuery> readQueries,
             ErrorCounts errors) {
        this.pool = pool;
        this.target = target;
        this.draws = draws;
        this.errors = errors;
        for (RegisteredQuery q : readQueries) {
            List<Integer> order = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(q.sql());
            while (m.find()) {
                order.add(Integer.parseInt(m.group(1)) - 1);
            }
            OperationStats s = stats.computeIfAbsent(q.name(), OperationStats::new);
            reads.add(new Prepared(q, PLACEHOLDER.matcher(q.sql()).replaceAll("?"),
                    order.stream().mapToInt(Integer::intValue).toArray(), s));
        }
    }

    Map<String, OperationStats> stats() {
        return stats;
    }

    OperationStats register(String op) {
        return stats.computeIfAbsent(op, OperationStats::new);
    }

    void read(SplittableRandom r) {
        read(r, -1, null);
    }

    /**
     * One read; with {@code intendedStartNanos} >= 0 its latency counts from then (a paced run's late start is
     * part of it) and goes into {@code alsoInto} too.
     */
    void read(SplittableRandom r, long intendedStartNanos, OperationStats alsoInto) {
        Prepared p = reads.get(r.nextInt(reads.size()));
        Object[] params = draws.draw(p.query(), r);
        long t0 = intendedStartNanos >= 0 ? intendedStartNanos : System.nanoTime();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(p.sql())) {
            for (int i = 0; i < p.order().length; i++) {
                ps.setObject(i + 1, params[p.order()[i]]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // Fetch everything, as an application would; the driver has the bytes already.
                }
            }
            long nanos = System.nanoTime() - t0;
            p.stats().record(nanos);
            if (alsoInto != null) {
                alsoInto.record(nanos);
            }
        } catch (SQLException e) {
            errors.failure(e);
        }
    }

    /** Read the version, write through the write function, and on a conflict re-read and try again. */
    void write(SplittableRandom r, OperationStats op) {
        write(r, op, System.nanoTime());
    }

    /** As {@link #write(SplittableRandom, OperationStats)}, its latency counted from {@code t0} (a paced run's intended start). */
    void write(SplittableRandom r, OperationStats op, long t0) {
        ResolvedTarget.Table t = target.primaryTable();
        long id = draws.writeId(r);
        String patch = RecordGenerator.randomPatch(r);
        try (Connection c = pool.getConnection();
             PreparedStatement read = c.prepareStatement("SELECT " + t.version() + " FROM " + t.qualifiedName()
                     + " WHERE " + t.key() + " = ?");
             PreparedStatement write = c.prepareStatement("SELECT " + target.writeFunction() + "(?, ?::jsonb, ?)")) {
            for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
                read.setLong(1, id);
                int version;
                try (ResultSet rs = read.executeQuery()) {
                    if (!rs.next()) {
                        errors.add("record_vanished");
                        return;
                    }
                    version = rs.getInt(1);
                }
                write.setLong(1, id);
                write.setString(2, patch);
                write.setInt(3, version);
                try {
                    write.execute();
                    op.record(System.nanoTime() - t0);
                    return;
                } catch (SQLException e) {
                    if (!errors.isConflict(e)) {
                        throw e;
                    }
                    errors.conflict();
                    // Back off a little, with jitter, as a client does before re-reading: instant retries
                    // would collide with the same concurrent writers again.
                    LoadRunner.sleep(r.nextInt(1 + 5 * attempt));
                }
            }
            errors.add("version_conflict_gave_up");
        } catch (SQLException e) {
            errors.failure(e);
        }
    }

    /**
     * Upserts a batch of mirrors in one statement, as the sync does; latency is measured from the batch's
     * intended start so a late batch counts its waiting time (coordinated omission corrected).
     */
    void upsertBatch(long[] ids, long syncRound, long intendedStartNanos, OperationStats op) {
        // Sorted keys: two overlapping batches then lock rows in the same order and cannot deadlock.
        java.util.Arrays.sort(ids);
        RecordGenerator upstream = new RecordGenerator(syncRound);
        Long[] keys = new Long[ids.length];
        String[] orgs = new String[ids.length];
        String[] mirrors = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            RecordGenerator.Row row = upstream.row(ids[i] - 1, ids[i]);
            keys[i] = ids[i];
            orgs[i] = row.organization();
            mirrors[i] = row.mirror();
        }
        ResolvedTarget.Table t = target.primaryTable();
        String sql = "INSERT INTO " + t.qualifiedName() + " (" + t.key() + ", organization_id, " + t.mirror() + ") "
                + "SELECT * FROM unnest(?::bigint[], ?::text[], ?::jsonb[]) ON CONFLICT (" + t.key() + ") "
                + "DO UPDATE SET " + t.mirror() + " = EXCLUDED." + t.mirror();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Array a1 = c.createArrayOf("bigint", keys);
            Array a2 = c.createArrayOf("text", orgs);
            Array a3 = c.createArrayOf("text", mirrors);
            ps.setArray(1, a1);
            ps.setArray(2, a2);
            ps.setArray(3, a3);
            ps.executeUpdate();
            op.record(System.nanoTime() - intendedStartNanos);
        } catch (SQLException e) {
            errors.failure(e);
        }
    }

    ParameterDraws draws() {
        return draws;
    }
}
