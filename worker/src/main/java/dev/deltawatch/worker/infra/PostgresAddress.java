package dev.deltawatch.worker.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How to reach a PostgreSQL server.
 *
 * @param jdbcUrl  e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}
 * @param user     login role
 * @param password may be empty (trust auth on the embedded server); never logged
 */
public record PostgresAddress(String jdbcUrl, String user, String password) {

    /** The same server, another database on it. */
    /**
     * A plain (unpooled) connection named {@code applicationName} in {@code pg_stat_activity}, so DBREs can tell
     * deltawatch's sessions from the application's.
     */
    public Connection connect(String applicationName) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(jdbcUrl, props);
    }

    public PostgresAddress withDatabase(String database) {
        int slash = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = jdbcUrl.indexOf('?', Math.max(slash, 0));
        String base = slash < 0 ? jdbcUrl : jdbcUrl.substring(0, slash);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        return new PostgresAddress(base + "/" + database + params, user, password);
    }

    @Override
    public String toString() {
        return "PostgresAddress[" + jdbcUrl + " as " + user + "]";
    }
}
