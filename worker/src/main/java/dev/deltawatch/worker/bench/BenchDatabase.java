package dev.deltawatch.worker.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.Infrastructure;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A fresh database for one benchmark, on the server {@link Infrastructure#resolvePostgresOnly()} provides
 * (the environment's, else embedded), dropped again on close; or a kept one (see {@link #kept}).
 */
final class BenchDatabase implements AutoCloseable {
    private final Infrastructure infrastructure;
    private final String name;
    private final PostgresAddress address;
    private final boolean keep;

    BenchDatabase(String prefix) throws SQLException {
        this(prefix + "_" + ProcessHandle.current().pid() + "_" + (System.currentTimeMillis() % 100_000), false);
    }

    private BenchDatabase(String name, boolean keep) throws SQLException {
        this.infrastructure = Infrastructure.resolvePostgresOnly();
        this.name = name;
        this.address = Database.createDatabase(infrastructure.postgres(), name);
        this.keep = keep;
    }

    /**
     * The database {@code name}, created when missing and never dropped, so that a second run can reuse what the
     * first seeded (seeding 1M records takes minutes). Only useful on a server that outlives the bench: one from
     * the environment ({@code DELTAWATCH_JDBC_URL}, e.g. {@code deltawatch infra up}).
     */
    static BenchDatabase kept(String name) throws SQLException {
        return new BenchDatabase(name, true);
    }

    /** Whether this database outlives the bench. */
    boolean keep() {
        return keep;
    }

    PostgresAddress address() {
        return address;
    }

    @Override
    public void close() {
        if (keep) {
            infrastructure.close();
            return;
        }
        PostgresAddress server = infrastructure.postgres();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            // The name was generated from a fixed prefix and digits only.
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("bench: could not drop database " + name + ": " + e.getMessage());
        }
        infrastructure.close();
    }

    static String jsonLine(Map<String, Object> figures) {
        try {
            return Contracts.mapper().writeValueAsString(figures);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
