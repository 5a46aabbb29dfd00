package dev.deltawatch.worker.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** Commits delta updates on the reference target: set-based, one transaction per batch, each bumping the version. */
final class UpdateDriver {
    private static final String UPDATE = """
            UPDATE pfa_records SET delta_json = jsonb_build_object('n', version + 1), version = version + 1
             WHERE id >= ? AND id < ?""";
    private final DataSource ds;
    private final int records;
    private long next = 1;

    UpdateDriver(DataSource ds, int records) {
        this.ds = ds;
        this.records = records;
    }

    /** Commits {@code events} updates as fast as PostgreSQL takes them; returns the seconds it took. */
    double commit(int events, int batchRows) throws SQLException {
        long start = System.nanoTime();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (int done = 0; done < events; ) {
                done += batch(ps, Math.min(batchRows, events - done));
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Commits {@code rate} updates per second for {@code duration}, in ten transactions per second. */
    void paced(int rate, Duration duration) throws SQLException, InterruptedException {
        int perTick = Math.max(1, rate / 10);
        long ticks = duration.toMillis() / 100;
        long start = System.nanoTime();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (long tick = 0; tick < ticks; tick++) {
                long due = start + tick * 100_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                batch(ps, perTick);
            }
        }
    }

    /** One transaction over the next {@code rows} records, wrapping around; returns the rows updated. */
    private int batch(PreparedStatement ps, int rows) throws SQLException {
        int take = (int) Math.min(rows, records - next + 1);
        ps.setLong(1, next);
        ps.setLong(2, next + take);
        int updated = ps.executeUpdate();
        next = next + take > records ? 1 : next + take;
        if (updated != take) {
            throw new IllegalStateException("expected to update " + take + " records, updated " + updated);
        }
        return take;
    }
}
