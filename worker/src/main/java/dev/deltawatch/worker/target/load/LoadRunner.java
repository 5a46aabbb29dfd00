package dev.deltawatch.worker.target.load;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one load scenario against a target and returns its {@link LoadReport}. Users are platform threads sharing
 * a HikariCP pool sized for the scenario (capped below the server's free connection slots); a sampler drains the
 * latency recorders and samples resources once per second on the calling thread.
 */
public final class LoadRunner {
    private static final long SAMPLE_EVERY_MS = 1_000;

    private final PostgresAddress address;
    private final TargetConfig config;
    private final PrintStream log;

    /** {@code log} receives one line per interval (null: silent). */
    public LoadRunner(PostgresAddress address, TargetConfig config, PrintStream log) {
        this.address = address;
        this.config = config;
        this.log = log;
    }

    public LoadReport run(LoadOptions options) throws SQLException {
        try (Connection admin = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password())) {
            ResolvedTarget target = TargetCatalog.resolve(admin, config);
            ParameterDraws draws = ParameterDraws.sample(admin, target, options.seed());
            return run(options, admin, target, draws);
        }
    }

    /** Runs with parameter draws the caller already sampled (the pgbench comparison shares them). */
    public LoadReport run(LoadOptions options, Connection admin, ResolvedTarget target, ParameterDraws draws)
            throws SQLException {
        List<String> notes = new ArrayList<>();
        int users = options.effectiveUsers();
        int poolSize = poolSize(admin, users, notes);
        List<RegisteredQuery> reads = readQueries(options);
        ErrorCounts errors = new ErrorCounts(config.write() == null ? null : config.write().conflict().sqlState());
        try (HikariDataSource pool = pool(poolSize)) {
            Workload workload = new Workload(pool, target, draws, reads, errors);
            ResourceSampler resources = new ResourceSampler(admin, address.jdbcUrl());
            UserThreads threads = new UserThreads(workload, options);
            long start = System.nanoTime();
            String startedAt = Instant.now().toString();
            threads.start(start);
            long intervals = 0;
            long deadline = start + options.duration().toNanos();
            // At least one interval even when starting the users took the whole duration (an overloaded host).
            do {
                sleep(Math.min(SAMPLE_EVERY_MS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                double at = (System.nanoTime() - start) / 1e9;
                workload.stats().values().forEach(s -> s.drain(at));
                resources.sample();
                intervals++;
                progress(at, workload);
            } while (System.nanoTime() < deadline);
            threads.stop();
            double duration = (System.nanoTime() - start) / 1e9;
            workload.stats().values().forEach(s -> s.drain(duration));
            notes.addAll(threads.notes());
            return ReportAssembler.assemble(options, config, startedAt, duration, users, poolSize, workload, errors,
                    resources.summary(intervals), notes);
        }
    }

    private List<RegisteredQuery> readQueries(LoadOptions options) {
        List<RegisteredQuery> reads = config.queries().stream()
                .filter(q -> q.kind() == RegisteredQuery.Kind.READ)
                .filter(q -> options.queries().isEmpty() || options.queries().contains(q.name())).toList();
        if (reads.isEmpty() && options.scenario().readShare() > 0) {
            throw new IllegalArgumentException("no registered read query matches " + options.queries());
        }
        return reads;
    }

    /** One connection per user, but never more than the server has free (keeping 5 for others). */
    private static int poolSize(Connection admin, int users, List<String> notes) throws SQLException {
        try (Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('max_connections')::int "
                     + "- current_setting('superuser_reserved_connections')::int - (SELECT count(*) FROM pg_stat_activity)")) {
            rs.next();
            int free = rs.getInt(1) - 5;
            if (users > free) {
                notes.add("pool capped at " + free + " connections (server's free slots) for " + users + " users; "
                        + "users wait for a connection, as they would behind an application pool");
                return Math.max(1, free);
            }
            return users;
        }
    }

    private HikariDataSource pool(int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(address.jdbcUrl());
        c.setUsername(address.user());
        c.setPassword(address.password());
        c.setPoolName("deltawatch-load");
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(size);
        c.setConnectionTimeout(30_000);
        c.addDataSourceProperty("ApplicationName", "deltawatch-load");
        // Every statement of the load runs under timeouts: a stuck query becomes a counted error, not a hang.
        c.setConnectionInitSql("SELECT set_config('statement_timeout', '30s', false), "
                + "set_config('lock_timeout', '5s', false)");
        HikariDataSource ds = new HikariDataSource(c);
        long until = System.nanoTime() + 20_000_000_000L;
        while (ds.getHikariPoolMXBean().getTotalConnections() < size && System.nanoTime() < until) {
            sleep(50); // connect before measuring: connection setup is not part of any operation's latency
        }
        return ds;
    }

    private void progress(double at, Workload workload) {
        if (log == null) {
            return;
        }
        long ops = workload.stats().values().stream().mapToLong(s -> s.total().getTotalCount()).sum();
        log.printf("load: %5.0f s  %,d operations  %,.0f ops/s%n", at, ops, ops / at);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long mix(long seed, long index) {
        return new SplittableRandom(seed * 31 + index).nextLong();
    }
}
