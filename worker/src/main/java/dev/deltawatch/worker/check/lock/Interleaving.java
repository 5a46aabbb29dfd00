package dev.deltawatch.worker.check.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Drives N transactions through a fixed schedule of steps, Hermitage-style: each transaction has its own session
 * and thread, and the schedule moves to the next step as soon as the current one finished or is seen waiting on a
 * lock ({@code pg_stat_activity.wait_event_type = 'Lock'}), so "T2 blocks until T1 commits" is reproduced without
 * fixed sleeps. After a transaction's first error its later steps are skipped and its commit becomes a rollback.
 * {@link #close} cancels anything still waiting and rolls everything back: no transaction outlives the probe.
 * Used from one thread.
 */
final class Interleaving implements AutoCloseable {

    /** What one step did. {@code value} is the work's result; {@code error} its failure; times from System.nanoTime. */
    record Step(int tx, String label, Object value, SQLException error, boolean skipped, long startNanos,
                long endNanos) {
        boolean ok() {
            return error == null && !skipped;
        }
    }

    private static final class Tx {
        final ProbeSession session;
        final ExecutorService thread;
        boolean begun;
        SQLException failure;

        Tx(ProbeSession session, ExecutorService thread) {
            this.session = session;
            this.thread = thread;
        }
    }

    private final LockProbeSettings settings;
    private final ProbeSession monitor;
    private final List<Tx> txs = new ArrayList<>();
    private final Map<String, Future<Step>> steps = new LinkedHashMap<>();
    private final Map<String, String> lockWaits = new LinkedHashMap<>();

    private Interleaving(LockProbeSettings settings, ProbeSession monitor) {
        this.settings = settings;
        this.monitor = monitor;
    }

    /** Opens {@code count} transactions (T1..Tn, index 1-based) at the JDBC isolation level, or the default if null. */
    static Interleaving open(DataSource ds, LockProbeSettings settings, String probe, int count, Integer isolation)
            throws SQLException {
        Interleaving it = new Interleaving(settings, ProbeSession.open(ds, settings, probe + ":monitor"));
        try {
            for (int i = 1; i <= count; i++) {
                ProbeSession s = ProbeSession.open(ds, settings, probe + ":T" + i);
                it.txs.add(new Tx(s, Executors.newSingleThreadExecutor(r -> new Thread(r, "deltawatch-" + probe))));
                if (isolation != null) {
                    s.connection().setTransactionIsolation(isolation);
                }
            }
            return it;
        } catch (SQLException | RuntimeException e) {
            it.close();
            throw e;
        }
    }

    /** Runs {@code work} as the next step of transaction {@code tx}; returns once it finished or waits on a lock. */
    Future<Step> step(int tx, String label, ProbeSession.SqlWork<Object> work) throws SQLException {
        Tx t = txs.get(tx - 1);
        Future<Step> f = t.thread.submit(() -> execute(t, tx, label, work));
        steps.put(label, f);
        awaitDoneOrBlocked(t, label, f);
        return f;
    }

    Future<Step> sql(int tx, String label, String sql) throws SQLException {
        return step(tx, label, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                return ps.executeUpdate();
            }
        });
    }

    Future<Step> commit(int tx) throws SQLException {
        return step(tx, "T" + tx + " commit", c -> {
            c.commit();
            return null;
        });
    }

    Future<Step> rollback(int tx) throws SQLException {
        return step(tx, "T" + tx + " rollback", c -> {
            c.rollback();
            return null;
        });
    }

    private Step execute(Tx t, int tx, String label, ProbeSession.SqlWork<Object> work) {
        long start = System.nanoTime();
        if (t.failure != null) {
            if (label.endsWith(" commit") || label.endsWith(" rollback")) {
                t.session.rollbackQuietly();
                t.begun = false;
            }
            return new Step(tx, label, null, null, true, start, System.nanoTime());
        }
        try {
            if (!t.begun) {
                t.session.begin();
                t.begun = true;
            }
            Object value = work.run(t.session.connection());
            if (label.endsWith(" commit") || label.endsWith(" rollback")) {
                t.begun = false;
            }
            return new Step(tx, label, value, null, false, start, System.nanoTime());
        } catch (SQLException e) {
            t.failure = e;
            return new Step(tx, label, null, e, false, start, System.nanoTime());
        }
    }

    private void awaitDoneOrBlocked(Tx t, String label, Future<Step> f) throws SQLException {
        long deadline = System.nanoTime() + settings.stepWait().toNanos();
        while (!f.isDone() && System.nanoTime() < deadline) {
            sleepMillis(5);
            if (!f.isDone() && waitingOnLock(t.session.backendPid())) {
                lockWaits.put(label, describeWait(t.session.backendPid()));
                return;
            }
        }
    }

    private boolean waitingOnLock(int pid) throws SQLException {
        return monitor.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT coalesce(wait_event_type = 'Lock', false) FROM pg_stat_activity WHERE pid = ?")) {
                ps.setInt(1, pid);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    /** Who blocks {@code pid}, with the tables each side holds locks on: names the hidden lock in evidence. */
    private String describeWait(int pid) throws SQLException {
        return monitor.inTransaction(c -> {
            String sql = "SELECT b.pid, left(b.query, 300), (SELECT string_agg(DISTINCT l.relation::regclass::text, ', ') "
                    + "FROM pg_locks l JOIN pg_class r ON r.oid = l.relation WHERE l.pid = b.pid AND r.relkind IN ('r','p') "
                    + "AND r.relnamespace <> 'pg_catalog'::regnamespace) FROM pg_stat_activity b "
                    + "WHERE b.pid = ANY (pg_blocking_pids(?))";
            StringBuilder out = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, pid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.append("blocked by pid ").append(rs.getInt(1)).append(" running `").append(rs.getString(2))
                                .append("`, holding locks on tables: ").append(rs.getString(3)).append('\n');
                    }
                }
            }
            return out.toString().strip();
        });
    }

    /** The lock waits seen, by step label, with who blocked them. */
    Map<String, String> lockWaits() {
        return lockWaits;
    }

    /** The result of a step, waiting for it as long as a probe statement may take. */
    Step result(String label) {
        Future<Step> f = steps.get(label);
        if (f == null) {
            throw new IllegalArgumentException("no step '" + label + "'");
        }
        long wait = settings.statementTimeout().plus(settings.lockTimeout()).toMillis();
        try {
            return f.get(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for step '" + label + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("step '" + label + "' did not finish: " + e.getMessage(), e);
        }
    }

    /** Waits for every step and returns them in schedule order. */
    List<Step> results() {
        List<Step> out = new ArrayList<>();
        for (String label : steps.keySet()) {
            out.add(result(label));
        }
        return out;
    }

    /** A readable transcript of the schedule: one line per step with its outcome. */
    String transcript() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Future<Step>> e : steps.entrySet()) {
            Future<Step> f = e.getValue();
            String outcome;
            if (!f.isDone()) {
                outcome = "still waiting";
            } else {
                Step s = result(e.getKey());
                outcome = s.skipped() ? "skipped (transaction failed earlier)"
                        : s.error() != null ? "ERROR " + s.error().getSQLState() + ": " + firstLine(s.error())
                        : "ok" + (s.value() == null ? "" : " -> " + s.value());
            }
            out.append(e.getKey()).append(": ").append(outcome)
                    .append(lockWaits.containsKey(e.getKey()) ? " (waited on a lock)" : "").append('\n');
        }
        return out.toString();
    }

    private static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        for (Tx t : txs) {
            try {
                monitor.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_cancel_backend(?) FROM pg_stat_activity "
                            + "WHERE pid = ? AND state = 'active'")) {
                        ps.setInt(1, t.session.backendPid());
                        ps.setInt(2, t.session.backendPid());
                        ps.execute();
                    }
                    return null;
                });
            } catch (SQLException ignored) {
                // Best effort: closing the session below ends its transaction anyway.
            }
            t.thread.submit(t.session::close);
            t.thread.shutdown();
        }
        for (Tx t : txs) {
            try {
                if (!t.thread.awaitTermination(settings.statementTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    t.thread.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        monitor.close();
    }

    static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Reads {@code id -> value} pairs; used by the anomaly scripts. */
    static Map<Integer, Integer> readPairs(Connection c, String sql) throws SQLException {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getInt(2));
            }
        }
        return out;
    }
}
