package dev.deltawatch.worker.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Delta updates committed in the background while a scenario breaks things: set-based transactions over
 * consecutive records, each bumping the version. Every hundredth record gets a JSON null in its delta, so a merge
 * function that deletes on null produces findings whose announcements the scenario can count. When the database
 * goes away the stream waits and goes on; the database itself, not this class, says what was committed.
 */
public final class UpdateStream implements AutoCloseable {
    private static final String UPDATE = """
            UPDATE pfa_records SET delta_json = CASE WHEN id % 100 = 0
                     THEN jsonb_build_object('n', version + 1, 'notes', null)
                     ELSE jsonb_build_object('n', version + 1) END,
                   version = version + 1
             WHERE id >= ? AND id < ?""";

    private final DataSource ds;
    private final int records;
    private final int batchRows;
    private final long total;
    private final int perSecond;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private long next = 1;

    /**
     * @param total     updates to commit, then stop ({@code Long.MAX_VALUE}: until closed)
     * @param perSecond pace; 0 for as fast as the database takes them
     */
    public UpdateStream(DataSource ds, int records, int batchRows, long total, int perSecond) {
        this.ds = ds;
        this.records = records;
        this.batchRows = batchRows;
        this.total = total;
        this.perSecond = perSecond;
        this.thread = new Thread(this::run, "deltawatch-update-stream");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Updates this stream saw committed (a commit whose answer was lost to an outage is not counted). */
    public long committed() {
        return committed.get();
    }

    /** Transactions that failed because the database was away; they were retried. */
    public long failures() {
        return failures.get();
    }

    public boolean finished() {
        return !thread.isAlive();
    }

    public void awaitFinished() throws InterruptedException {
        thread.join();
    }

    private void run() {
        long start = System.nanoTime();
        while (running.get() && committed.get() < total) {
            int rows = (int) Math.min(Math.min(batchRows, total - committed.get()), records - next + 1);
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(UPDATE)) {
                ps.setLong(1, next);
                ps.setLong(2, next + rows);
                int updated = ps.executeUpdate();
                committed.addAndGet(updated);
                next = next + rows > records ? 1 : next + rows;
            } catch (SQLException e) {
                failures.incrementAndGet();
                sleep(500); // the database is restarting or away: try again shortly
                continue;
            }
            if (perSecond > 0) {
                long due = start + committed.get() * 1_000_000_000L / perSecond;
                sleep((due - System.nanoTime()) / 1_000_000);
            }
        }
    }

    private void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }
}
