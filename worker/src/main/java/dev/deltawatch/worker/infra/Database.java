package dev.deltawatch.worker.infra;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** Connection pools and one-off connections to a PostgreSQL server. */
public final class Database {
    private Database() {}

    /**
     * A HikariCP pool. {@code applicationName} shows in {@code pg_stat_activity}, so DBREs can tell
     * deltawatch's sessions from the application's.
     */
    public static HikariDataSource pool(PostgresAddress address, String applicationName, int maxSize) {
        return pool(address, applicationName, maxSize, null);
    }

    /**
     * A HikariCP pool that reports its usage to {@code metrics} ({@link WorkerMetrics#hikariMetrics()}), exported
     * as {@code hikaricp_*}; {@code null} for none.
     */
    public static HikariDataSource pool(PostgresAddress address, String applicationName, int maxSize,
                                        com.zaxxer.hikari.metrics.MetricsTrackerFactory metrics) {
        HikariConfig config = new HikariConfig();
        if (metrics != null) {
            config.setMetricsTrackerFactory(metrics);
        }
        config.setJdbcUrl(address.jdbcUrl());
        config.setUsername(address.user());
        config.setPassword(address.password());
        config.setPoolName("deltawatch-" + applicationName);
        config.setMaximumPoolSize(maxSize);
        config.setMinimumIdle(Math.min(2, maxSize));
        config.setConnectionTimeout(10_000);
        config.addDataSourceProperty("ApplicationName", "deltawatch-" + applicationName);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.setInitializationFailTimeout(15_000);
        return new HikariDataSource(config);
    }

    /** Creates a database on the server if it does not exist yet. The name must be a plain identifier. */
    public static PostgresAddress createDatabase(PostgresAddress server, String name) throws SQLException {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name '" + name + "' must match [a-z_][a-z0-9_]*");
        }
        try (Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (var rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement s = c.createStatement()) {
                        // CREATE DATABASE takes no parameters; the name was checked against a strict pattern above.
                        s.execute("CREATE DATABASE " + name);
                    }
                }
            }
        }
        return server.withDatabase(name);
    }
}
