package dev.deltawatch.worker.discover;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.plan.ParameterizedSql;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.testing.CliRun;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeded example targets for the init tests: a template per target seeded once, copies of it with
 * {@code pg_stat_statements} installed and the application's reads run (the hand-written config's read queries,
 * each parameter set three times), as a staging database would have them when a team runs init.
 */
final class InitTargets {
    static final int ROWS = 30_000;
    private final Map<String, PostgresAddress> templates = new LinkedHashMap<>();

    synchronized PostgresAddress seeded(String name) throws Exception {
        PostgresAddress template = templates.get(name);
        if (template == null) {
            ExampleTarget target = ExampleTargets.named(name);
            template = TestInfrastructure.freshDatabase("init_" + name + "_template");
            try (HikariDataSource ds = Database.pool(template, "install", 2)) {
                target.install(ds);
            }
            target.seeder().seed(template, SeedOptions.of(ROWS, 42, true), null, false);
            try (HikariDataSource ds = Database.pool(template, "analyze", 1); Connection c = ds.getConnection();
                 Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
            templates.put(name, template);
        }
        return TestInfrastructure.copyOf(template, "init_" + name);
    }

    /** A seeded copy whose pg_stat_statements has seen the application's reads. */
    PostgresAddress withWorkload(String name) throws Exception {
        PostgresAddress db = seeded(name);
        try (HikariDataSource ds = Database.pool(db, "workload", 1); Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
            for (TargetConfig.RegisteredQuery q : ExampleTargets.named(name).config().queries()) {
                if (q.kind() != TargetConfig.RegisteredQuery.Kind.READ) {
                    continue;
                }
                ParameterizedSql sql = ParameterizedSql.of(q.sql());
                for (List<Object> set : q.params().isEmpty() ? List.<List<Object>>of(List.of()) : q.params()) {
                    for (int run = 0; run < 3; run++) {
                        try (PreparedStatement ps = c.prepareStatement(sql.jdbcSql())) {
                            List<Object> values = sql.bind(set);
                            for (int i = 0; i < values.size(); i++) {
                                ps.setObject(i + 1, String.valueOf(values.get(i)), Types.OTHER);
                            }
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    // drain: the statement counts once it ran
                                }
                            }
                        }
                    }
                }
            }
        }
        return db;
    }

    static CliRun init(PostgresAddress db, Path output, String... more) {
        List<String> args = new ArrayList<>(List.of("init", "--jdbc-url", db.jdbcUrl(), "--user", db.user(),
                "--output", output.toString()));
        args.addAll(List.of(more));
        return CliRun.run(args.toArray(String[]::new));
    }
}
