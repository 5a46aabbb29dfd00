package dev.deltawatch.worker.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.discover.Discovery;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deltawatch bench init}: how long {@code init}'s discovery takes on the reference target at N rows (~2 KB
 * mirrors, half with deltas), with pg_stat_statements installed and the reference's registered reads run once each,
 * as a staging database would have them. The goal is 30 s at 1M rows. Prints one JSON line; the database is dropped.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Times `init` discovery on the reference target; prints one JSON line.")
public final class InitBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "1000000", description = "PFA records to seed (default ${DEFAULT-VALUE}).")
    int rows;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", "init");
        out.put("rows", rows);
        try (BenchDatabase db = new BenchDatabase("bench_init");
             HikariDataSource ds = Database.pool(db.address(), "bench", 2)) {
            ReferenceTarget.install(ds);
            long t0 = System.nanoTime();
            HygieneBench.seed(ds, rows);
            out.put("seed_ms", (System.nanoTime() - t0) / 1_000_000);
            workload(ds);
            java.util.Properties simple = new java.util.Properties();
            simple.setProperty("user", db.address().user());
            simple.setProperty("password", db.address().password());
            simple.setProperty("preferQueryMode", "simple");
            try (Connection c = ds.getConnection();
                 Connection s = java.sql.DriverManager.getConnection(db.address().jdbcUrl(), simple)) {
                long t1 = System.nanoTime();
                Discovery.Result result = Discovery.discover(c, s, "public");
                long ms = (System.nanoTime() - t1) / 1_000_000;
                out.put("init_ms", ms);
                out.put("goal_ms", 30_000);
                out.put("within_goal", ms <= 30_000);
                out.put("queries_registered", result.config().queries().size());
                out.put("generated_columns", result.config().documents().generatedColumns().size());
            }
        }
        spec.commandLine().getOut().println(BenchDatabase.jsonLine(out));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The reference's registered reads, once per parameter set, so pg_stat_statements holds them. */
    private static void workload(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
            for (TargetConfig.RegisteredQuery q : ReferenceTarget.config().queries()) {
                if (q.kind() != TargetConfig.RegisteredQuery.Kind.READ) {
                    continue;
                }
                String jdbc = q.sql().replaceAll("\\$\\d+", "?");
                for (var set : q.params()) {
                    try (PreparedStatement ps = c.prepareStatement(jdbc)) {
                        for (int i = 0; i < set.size(); i++) {
                            ps.setObject(i + 1, String.valueOf(set.get(i)), java.sql.Types.OTHER);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                // drain
                            }
                        }
                    }
                }
            }
        }
    }
}
