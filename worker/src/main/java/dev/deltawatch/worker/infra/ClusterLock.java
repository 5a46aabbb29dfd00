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
     * a session lock dies with its session, so a crashed worker never blocks the others.
     */
    static ClusterLock advisory(DataSource dataSource, String name) throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(true);
        return new ClusterLock() {
            @Override
            public synchronized Held acquire() throws SQLException {
                call("SELECT pg_advisory_lock(hashtextextended(?, 0))");
                return () -> call("SELECT pg_advisory_unlock(hashtextextended(?, 0))");
            }

            private void call(String sql) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, name);
                    ps.execute();
                }
            }

            @Override
            public void close() throws SQLException {
                c.close();
            }
        };
    }
}
