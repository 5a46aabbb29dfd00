package dev.deltawatch.worker.check.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One connection a probe drives. Every transaction starts with {@link #begin()}, which sets statement, lock and
 * idle-in-transaction timeouts and an {@code application_name} of {@value #APPLICATION_PREFIX}probe for that
 * transaction only ({@code set_config(..., true)}), so nothing leaks into the pool and a leftover session is
 * identifiable in {@code pg_stat_activity}. When the role may (superuser), {@code deadlock_timeout} is lowered for
 * the transaction too, so deadlock probes finish fast. Not thread-safe: one thread drives one session.
 */
public final class ProbeSession implements AutoCloseable {
    public static final String APPLICATION_PREFIX = "deltawatch-probe:";

    /** Work inside a probe transaction. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private final Connection connection;
    private final LockProbeSettings settings;
    private final String probe;
    private final int backendPid;
    private final boolean mayTuneDeadlockTimeout;

    private ProbeSession(Connection connection, LockProbeSettings settings, String probe, int backendPid,
                         boolean mayTuneDeadlockTimeout) {
        this.connection = connection;
        this.settings = settings;
        this.probe = probe;
        this.backendPid = backendPid;
        this.mayTuneDeadlockTimeout = mayTuneDeadlockTimeout;
    }

    public static ProbeSession open(DataSource dataSource, LockProbeSettings settings, String probe)
            throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pg_backend_pid(), current_setting('is_superuser') = 'on'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                ProbeSession s = new ProbeSession(c, settings, probe, rs.getInt(1), rs.getBoolean(2));
                c.commit();
                return s;
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public Connection connection() {
        return connection;
    }

    public int backendPid() {
        return backendPid;
    }

    /** The deadlock_timeout probe transactions run under: the configured one when settable, else the server's. */
    public long effectiveDeadlockTimeoutMs() throws SQLException {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT setting::bigint FROM pg_settings WHERE name = 'deadlock_timeout'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Starts a probe transaction: must be the first statement after a commit or rollback. */
    public void begin() throws SQLException {
        String sql = "SELECT set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true), "
                + "set_config('idle_in_transaction_session_timeout', ?, true), set_config('application_name', ?, true)"
                + (mayTuneDeadlockTimeout ? ", set_config('deadlock_timeout', ?, true)" : "");
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, settings.statementTimeout().toMillis() + "ms");
            ps.setString(2, settings.lockTimeout().toMillis() + "ms");
            ps.setString(3, settings.idleInTransactionTimeout().toMillis() + "ms");
            ps.setString(4, APPLICATION_PREFIX + probe);
            if (mayTuneDeadlockTimeout) {
                ps.setString(5, settings.deadlockTimeout().toMillis() + "ms");
            }
            ps.execute();
        }
    }

    /** Runs {@code work} in its own probe transaction and commits; rolls back and rethrows on failure. */
    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        try {
            begin();
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    public void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; closing it below discards it from the pool.
        }
    }

    @Override
    public void close() {
        rollbackQuietly();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing more to release.
        }
    }
}
