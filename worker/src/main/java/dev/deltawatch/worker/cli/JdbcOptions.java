package dev.deltawatch.worker.cli;

import dev.deltawatch.worker.config.ConfigException;
import dev.deltawatch.worker.infra.Infrastructure;
import dev.deltawatch.worker.infra.PostgresAddress;
import picocli.CommandLine.Option;

/**
 * Where the target database is. The password is taken from the environment only
 * ({@code DELTAWATCH_JDBC_PASSWORD}), never from the command line, where {@code ps} would show it.
 */
final class JdbcOptions {
    @Option(names = "--jdbc-url", description = "JDBC URL of the target database (default: $DELTAWATCH_JDBC_URL).",
            defaultValue = "${env:DELTAWATCH_JDBC_URL}")
    String jdbcUrl;

    @Option(names = "--user", description = "Login role (default: $DELTAWATCH_JDBC_USER, else postgres).",
            defaultValue = "${env:DELTAWATCH_JDBC_USER:-postgres}")
    String user;

    PostgresAddress address() {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new ConfigException("the command line",
                    java.util.List.of("--jdbc-url is required (or set DELTAWATCH_JDBC_URL)"));
        }
        String password = System.getenv(Infrastructure.ENV_JDBC_PASSWORD);
        return new PostgresAddress(jdbcUrl, user, password == null ? "" : password);
    }
}
