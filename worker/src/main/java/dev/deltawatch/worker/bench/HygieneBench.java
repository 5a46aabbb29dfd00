package dev.deltawatch.worker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.check.hygiene.HygieneChecks;
import dev.deltawatch.worker.check.hygiene.HygieneSettings;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.Infrastructure;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deltawatch bench hygiene}: how long each hygiene check takes on the reference target at N rows (~2 KB
 * mirrors, half with deltas), next to the physical references in the same run: a plain full scan
 * ({@code count(*)}) and a full-table comparison of stored vs recomputed generated values, which is what the
 * stale-values check avoids by sampling. Prints one JSON line. Uses a fresh database, dropped at the end.
 */
@Command(name = "hygiene", mixinStandardHelpOptions = true,
        description = "Times each hygiene check on the reference target; prints one JSON line.")
public final class HygieneBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "100000", description = "PFA records to seed (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--pooling-window-ms", defaultValue = "2000",
            description = "Window of the connection-pooling check (default ${DEFAULT-VALUE}).")
    long poolingWindowMs;

    @Override
    public Integer call() throws Exception {
        ObjectNode out = new ObjectMapper().createObjectNode().put("bench", "hygiene").put("rows", rows);
        try (Infrastructure infra = Infrastructure.resolvePostgresOnly()) {
            String name = "bench_hygiene_" + ProcessHandle.current().pid();
            PostgresAddress db = Database.createDatabase(infra.postgres(), name);
            try (HikariDataSource ds = Database.pool(db, "bench", 4)) {
                ReferenceTarget.install(ds);
                out.put("seed_ms", timed(() -> seed(ds, rows)));
                out.put("full_scan_count_ms", timed(() -> query(ds, "SELECT count(*) FROM pfa_records")));
                out.put("full_stale_compare_ms", timed(() -> query(ds, "SELECT count(*) FILTER (WHERE merged_category "
                        + "IS DISTINCT FROM pfa_merge(mirror_json, delta_json) ->> 'category') FROM pfa_records")));
                CheckContext context;
                try (Connection c = ds.getConnection()) {
                    context = new CheckContext(TargetCatalog.resolve(c, ReferenceTarget.config()), ds,
                            Clock.systemUTC(), null, null, null);
                }
                HygieneSettings settings = HygieneSettings.defaults().withPooling(Duration.ofMillis(poolingWindowMs),
                        Duration.ofMillis(100), 60, 20, 0.8);
                ObjectNode checks = out.putObject("check_ms");
                ObjectNode failing = out.putObject("findings");
                for (Check check : HygieneChecks.all(settings)) {
                    long t0 = System.nanoTime();
                    var results = check.run(context, CheckScope.all());
                    checks.put(check.name(), (System.nanoTime() - t0) / 1_000_000);
                    failing.put(check.name(), results.stream().filter(CheckResult::failed).count());
                }
            } finally {
                drop(infra.postgres(), name);
            }
        }
        spec.commandLine().getOut().println(out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private interface Step {
        void run() throws Exception;
    }

    private static long timed(Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void query(HikariDataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery(sql).close();
        }
    }

    /** The reference's records, generated in one statement (faster than the seeder's batches), then analyzed. */
    static void seed(HikariDataSource ds, int rows) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO pfa_records (organization_id, mirror_json, delta_json)
                SELECT (ARRAY['HOLNG','RIO','BHP','FMG','VALE','ANGLO','GLEN','NEWM','BARR','TECK'])[1 + g % 10],
                       jsonb_build_object('category', (ARRAY['Cranes','Excavators','Generators','Loaders','Pumps'])[1 + g % 5],
                                          'cost', g, 'notes', repeat(md5(g::text), 56),
                                          'forecast', jsonb_build_object(
                                              'start', to_char(date '2020-01-01' + g % 3650, 'YYYY-MM-DD'),
                                              'end', to_char(date '2021-01-01' + g % 3650, 'YYYY-MM-DD'))),
                       CASE WHEN g % 2 = 0 THEN jsonb_build_object('category', 'Trucks',
                                                 'forecast', jsonb_build_object('end', '2031-01-01')) END
                  FROM generate_series(1, ?) AS g""")) {
            ps.setInt(1, rows);
            ps.executeUpdate();
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE pfa_records");
            }
        }
    }

    private static void drop(PostgresAddress server, String name) {
        try (Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            // The name is ours, built from a fixed prefix and the pid: nothing from outside.
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (java.sql.SQLException e) {
            org.slf4j.LoggerFactory.getLogger(HygieneBench.class).warn("bench hygiene: could not drop database " + name + ": " + e.getMessage());
        }
    }
}
