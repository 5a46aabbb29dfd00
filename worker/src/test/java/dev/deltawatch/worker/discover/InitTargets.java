package dev.deltawatch.worker.discover;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.WriteStatement;
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
 * each parameter set three times) and, where the application writes with its own SQL (the hand-written config's
 * {@code write.statement}), its saves run too and rolled back, as a staging database would have them when a team runs
 * init.
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
                // One server serves the whole suite, and pg_stat_statements keeps 5,000 statements of every database
                // (track=all): late in the suite a fresh copy's few statements were evicted by the others' before
                // init read them (overrides' recent-overrides went missing). A staging database's view holds its own
                // application's statements; start this one empty so it does too.
                s.execute("SELECT pg_stat_statements_reset()");
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
            TargetConfig.Write write = ExampleTargets.named(name).config().write();
            if (write != null && write.statement() != null) {
                runSaves(c, ExampleTargets.named(name).config(), WriteStatement.compile(write.statement()));
            }
        }
        return db;
    }

    /**
     * The application's save, three times on an existing draft at its current version, then on a new one (the first
     * save's INSERT), all rolled back: pg_stat_statements counts a statement once it ran, committed or not.
     */
    private static void runSaves(Connection c, TargetConfig config, WriteStatement save) throws Exception {
        TargetConfig.Delta delta = config.documents().delta();
        String version = config.documents().version().column();
        c.setAutoCommit(false);
        try {
            List<Object[]> rows = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + delta.record() + ", "
                    + delta.owner() + ", " + version + " FROM " + delta.table() + " ORDER BY 1, 2 LIMIT 3")) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3)});
                }
            }
            rows.add(new Object[] {rows.get(0)[0], "init-test-author", 0});
            for (Object[] row : rows) {
                try (PreparedStatement ps = c.prepareStatement(save.sql())) {
                    for (int i = 0; i < save.roles().size(); i++) {
                        Object value = switch (save.roles().get(i)) {
                            case KEY -> row[0];
                            case OWNER -> row[1];
                            case PATCH -> "{\"title\": \"init workload\"}";
                            case EXPECTED_VERSION -> row[2];
                            case CONSTANT -> throw new IllegalStateException("no constants in a statement");
                        };
                        ps.setObject(i + 1, String.valueOf(value), Types.OTHER);
                    }
                    ps.executeUpdate();
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    static CliRun init(PostgresAddress db, Path output, String... more) {
        List<String> args = new ArrayList<>(List.of("init", "--jdbc-url", db.jdbcUrl(), "--user", db.user(),
                "--output", output.toString()));
        args.addAll(List.of(more));
        return CliRun.run(args.toArray(String[]::new));
    }
}
