package dev.deltawatch.worker.check.plan;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.bench.ReferenceSeed;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One reference target seeded with 100K records, used as a template: each fault gets its own copy
 * ({@code CREATE DATABASE ... TEMPLATE}, a file copy, seconds instead of a reseed), with the fault migration from
 * {@code faults/plan/} applied before any pool connects (so role settings it makes take effect).
 */
final class PlanFaultTarget {
    static final int ROWS = 100_000;
    private static final AtomicInteger COPIES = new AtomicInteger();

    private final PostgresAddress template;

    private PlanFaultTarget(PostgresAddress template) {
        this.template = template;
    }

    static PlanFaultTarget seed(String prefix) throws SQLException {
        PostgresAddress address = TestInfrastructure.freshDatabase(prefix);
        try (HikariDataSource ds = Database.pool(address, "plan-seed", 2)) {
            ReferenceTarget.install(ds);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
            ReferenceSeed.seed(ds, ROWS);
        }
        return new PlanFaultTarget(address);
    }

    /** A copy of the seeded target with {@code fault} (a file under faults/plan/, or null) applied. */
    HikariDataSource copy(String fault) throws SQLException {
        String name = database(template) + "_c" + COPIES.incrementAndGet();
        PostgresAddress server = TestInfrastructure.postgres();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            // Names come from the test's own counter and the template's checked name, never from input.
            for (int attempt = 1; ; attempt++) {
                try {
                    s.execute("CREATE DATABASE " + name + " TEMPLATE " + database(template) + " STRATEGY FILE_COPY");
                    break;
                } catch (SQLException e) {
                    // A closed pool's backends (or autovacuum) may still be leaving the template for a moment.
                    if (attempt == 20 || !"55006".equals(e.getSQLState())) {
                        throw e;
                    }
                    sleep();
                }
            }
        }
        PostgresAddress copy = server.withDatabase(name);
        if (fault != null) {
            apply(copy, fault);
        }
        return Database.pool(copy, "plan-audit", 4);
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void apply(PostgresAddress db, String fault) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement()) {
            s.execute(resource("faults/plan/" + fault));
        }
    }

    static void apply(HikariDataSource ds, String fault) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute(resource("faults/plan/" + fault));
        }
    }

    private static String resource(String path) {
        try (InputStream in = PlanFaultTarget.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    private static String database(PostgresAddress a) {
        String url = a.jdbcUrl();
        int slash = url.lastIndexOf('/');
        int q = url.indexOf('?', slash);
        return q < 0 ? url.substring(slash + 1) : url.substring(slash + 1, q);
    }
}
