package dev.deltawatch.worker.infra;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A lock shared by every worker of a target: a PostgreSQL session advisory lock on a connection of its own.
 * The findings publisher holds it while it catches up with the compacted topic, decides and publishes, so two
 * workers never announce the same transition. {@link #none()} is for a single process (and unit tests).
 */
public interface ClusterLock extends AutoCloseable {

    /** Blocks until held; closing the returned handle releases it. */
    Held acquire() throws SQLException;

    /** A held lock. */
    interface Held extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    @Override
    default void close() throws SQLException {
    }

    static ClusterLock none() {
        return () -> () -> { };
    }

    /**
     * An advisory lock keyed by {@code name} (hashed by PostgreSQL). The connection is held for the worker's life:
     * a session lock dies with its session, so a crashed worker never blocks the others. When that session is lost
     * (the database restarted), the next {@link #acquire()} opens a new one.
     */
    static ClusterLock advisory(DataSource dataSource, String name) throws SQLException {
        return new Advisory(dataSource, name);
    }

    /** The advisory lock behind {@link #advisory}. */
    final class Advisory implements ClusterLock {
        private final DataSource dataSource;
        private final String name;
        private Connection connection;

        private Advisory(DataSource dataSource, String name) throws SQLException {
            this.dataSource = dataSource;
            this.name = name;
            this.connection = open(); // fail at start when the database does not answer
        }

        @Override
        public synchronized Held acquire() throws SQLException {
            call("SELECT pg_advisory_lock(hashtextextended(?, 0))");
            return () -> call("SELECT pg_advisory_unlock(hashtextextended(?, 0))");
        }

        private synchronized void call(String sql) throws SQLException {
            if (connection == null) {
                connection = open();
            }
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setString(1, name);
                ps.execute();
            } catch (SQLException e) {
                if (connection.isValid(1)) {
                    throw e;
                }
                // The session, and with it any lock it held, is gone: start a new one next time.
                closeQuietly();
                throw e;
            }
        }

        private Connection open() throws SQLException {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(true);
            return c;
        }

        private void closeQuietly() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }

        @Override
        public synchronized void close() throws SQLException {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }
}
