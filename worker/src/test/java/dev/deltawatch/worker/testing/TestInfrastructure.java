package dev.deltawatch.worker.testing;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.Infrastructure;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import org.postgresql.PGProperty;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real PostgreSQL and Kafka for the whole test JVM, resolved once through {@link Infrastructure} (environment,
 * Testcontainers, or embedded) and stopped when the JVM exits. Tests that need isolation take a fresh database
 * or a unique topic name from here rather than starting servers of their own.
 */
public final class TestInfrastructure {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Infrastructure infrastructure;
    /** Every database {@link #freshDatabase} made, in order, for {@link StagingHygieneExtension}. */
    private static final List<PostgresAddress> CREATED = new CopyOnWriteArrayList<>();

    private TestInfrastructure() {}

    public static synchronized Infrastructure get() {
        if (infrastructure == null) {
            infrastructure = Infrastructure.resolve();
            Infrastructure started = infrastructure;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-infrastructure-shutdown"));
        }
        return infrastructure;
    }

    /** The infrastructure if a test already started it, else null (the hygiene extension must not start it). */
    static synchronized Infrastructure startedOrNull() {
        return infrastructure;
    }

    /** The databases {@link #freshDatabase} made so far, oldest first. */
    static List<PostgresAddress> createdDatabases() {
        return List.copyOf(CREATED);
    }

    public static PostgresAddress postgres() {
        return get().postgres();
    }

    public static KafkaAddress kafka() {
        return get().kafka();
    }

    /** A new, empty database on the shared server, named after the test. */
    public static PostgresAddress freshDatabase(String prefix) {
        String name = (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + COUNTER.incrementAndGet()
                + "_" + ProcessHandle.current().pid());
        try {
            PostgresAddress created = Database.createDatabase(postgres(), name.length() > 60 ? name.substring(0, 60) : name);
            CREATED.add(created);
            return created;
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new database copied from {@code template} ({@code CREATE DATABASE ... TEMPLATE}): a seeded target in well under
     * a second instead of a fresh seed. Nothing may be connected to the template while it is copied.
     */
    public static PostgresAddress copyOf(PostgresAddress template, String prefix) {
        String source = template.jdbcUrl().replaceAll(".*/([^/?]+)(\\?.*)?$", "$1");
        String name = (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + COUNTER.incrementAndGet()
                + "_" + ProcessHandle.current().pid());
        name = name.length() > 60 ? name.substring(0, 60) : name;
        PostgresAddress server = postgres();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             java.sql.Statement s = c.createStatement()) {
            // Identifiers only from the strict patterns above and the server's own database name.
            s.execute("CREATE DATABASE " + name + " TEMPLATE \"" + source.replace("\"", "\"\"") + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("could not copy " + source + " to " + name + ": " + e.getMessage(), e);
        }
        PostgresAddress created = server.withDatabase(name);
        CREATED.add(created);
        return created;
    }

    /** A fresh database with the reference target installed, and a pool on it. Close the pool when done. */
    public static HikariDataSource referenceTarget(String prefix) {
        HikariDataSource ds = Database.pool(freshDatabase(prefix), "test", 8);
        ReferenceTarget.install(ds);
        return ds;
    }

    /** A check context on the reference target in {@code ds}. */
    public static CheckContext referenceContext(HikariDataSource ds) throws SQLException {
        return context(ds, ReferenceTarget.config());
    }

    /** A check context on the target of {@code config} in {@code ds}. */
    public static CheckContext context(HikariDataSource ds, dev.deltawatch.contracts.TargetConfig config)
            throws SQLException {
        ResolvedTarget resolved;
        try (Connection c = ds.getConnection()) {
            resolved = TargetCatalog.resolve(c, config);
        }
        return new CheckContext(resolved, ds, Clock.systemUTC(), null, null, null);
    }

    /** A topic name no other test uses. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet() + "-" + System.nanoTime();
    }

    /** A replication-protocol connection to the database at {@code jdbcUrl}, as capture opens one (to hold a slot). */
    public static Connection replicationConnection(String jdbcUrl) throws SQLException {
        Properties p = new Properties();
        PGProperty.USER.set(p, "postgres");
        PGProperty.PASSWORD.set(p, "");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "17");
        PGProperty.REPLICATION.set(p, "database");
        PGProperty.PREFER_QUERY_MODE.set(p, "simple");
        return DriverManager.getConnection(jdbcUrl, p);
    }
}
