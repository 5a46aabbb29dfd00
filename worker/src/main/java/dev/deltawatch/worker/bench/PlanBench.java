package dev.deltawatch.worker.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.check.plan.PlanAuditCheck;
import dev.deltawatch.worker.check.plan.PlanAuditReport;
import dev.deltawatch.worker.check.plan.PlanAuditSettings;
import dev.deltawatch.worker.check.plan.TargetBaselineStore;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.Infrastructure;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deltawatch bench plan}: audits N registered queries (variations of the reference target's own: merged
 * pages by organization and category, lookups by id, forecast windows, day counts, sorted pages, a rolled-back
 * write) on a fresh reference target seeded with 100K records, and prints one JSON line: {@code wall_s} (the whole
 * audit), {@code db_s} (time inside the JDBC EXPLAIN calls: statement sent to last byte received, i.e. PostgreSQL
 * planning and executing them plus the wire), {@code db_server_s} (the plans' own Planning + Execution Time),
 * and {@code overhead} = (wall - db) / wall: parsing, rules, catalog lookups, baselines, transactions. Goal ≤ 0.20.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Plan-audit overhead on a 100K-record reference target; prints one JSON line.")
public final class PlanBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "100000", description = "Records to seed (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--queries", defaultValue = "50", description = "Registered queries to audit (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--runs", defaultValue = "5", description = "Measured runs per query (default ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Infrastructure infra = Infrastructure.resolvePostgresOnly()) {
            String name = "deltawatch_bench_plan_" + ProcessHandle.current().pid();
            PostgresAddress db = Database.createDatabase(infra.postgres(), name);
            try {
                out.println(run(db));
            } finally {
                drop(infra.postgres(), name);
            }
        }
        out.flush();
        return 0;
    }

    private String run(PostgresAddress db) throws Exception {
        try (HikariDataSource ds = Database.pool(db, "bench-plan", 4)) {
            ReferenceTarget.install(ds);
            ReferenceSeed.seed(ds, rows);
            TargetConfig base = ReferenceTarget.config();
            TargetConfig config = new TargetConfig(base.schemaVersion(), base.name(), base.schema(), base.documents(),
                    base.merge(), base.write(), registered(queries), base.probes());
            ResolvedTarget target;
            try (Connection c = ds.getConnection()) {
                target = TargetCatalog.resolve(c, config);
            }
            CheckContext context = new CheckContext(target, ds, Clock.systemUTC(), null, null, null);
            PlanAuditSettings settings = PlanAuditSettings.defaults().withRuns(runs, 1).withProbes(false, false);
            PlanAuditCheck check = new PlanAuditCheck(settings, new TargetBaselineStore());
            // The worker is long-running: warm the JVM (JIT) and PostgreSQL's caches first, and take the baselines;
            // then measure the steady state, keeping the median of three audits.
            for (int i = 0; i < 5; i++) {
                check.auditAll(context);
            }
            List<PlanAuditReport> measured = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                measured.add(check.auditAll(context));
            }
            measured.sort(java.util.Comparator.comparingDouble(r -> (r.wallMs() - r.jdbcMs()) / r.wallMs()));
            PlanAuditReport report = measured.get(1);
            double wall = report.wallMs() / 1000;
            double dbS = report.jdbcMs() / 1000;
            return String.format(Locale.ROOT, "{\"bench\":\"plan\",\"rows\":%d,\"queries\":%d,\"runs_per_query\":%d,"
                            + "\"warmups_per_query\":1,\"wall_s\":%.3f,\"db_s\":%.3f,\"db_server_s\":%.3f,"
                            + "\"overhead\":%.3f,\"overhead_goal\":0.20,\"findings\":%d}",
                    rows, report.measurements().size(), runs, wall, dbS, report.serverMs() / 1000,
                    (wall - dbS) / wall, report.failures().size());
        }
    }

    /** {@code n} registered queries cycling through the reference target's read and write queries. */
    static List<RegisteredQuery> registered(int n) {
        String[] orgs = {"HOLNG", "RIO", "BHP", "FMG", "VALE", "ANGLO", "GLEN", "NEWM", "BARR", "TECK"};
        String[] categories = {"Cranes", "Excavators", "Trucks", "Generators", "Scaffolding", "Loaders", "Dozers"};
        List<RegisteredQuery> ref = ReferenceTarget.config().queries();
        List<RegisteredQuery> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            RegisteredQuery q = ref.get(i % ref.size());
            List<Object> params = switch (q.name()) {
                case "records-by-org-category" -> List.of(orgs[i % orgs.length], categories[i % categories.length]);
                case "record-by-id", "delta-write" -> q.name().equals("record-by-id") ? List.of(1 + i * 997)
                        : List.of(1 + i * 997, "{\"notes\": \"bench\"}");
                case "records-by-forecast-window" -> List.of(String.format("%d-%02d-01", 2020 + i % 10, 1 + i % 11),
                        String.format("%d-%02d-01", 2020 + i % 10, 2 + i % 11));
                case "mobilizations-on-day" -> List.of(String.format("%d-%02d-15", 2020 + i % 10, 1 + i % 12));
                case "org-recently-edited-page" -> List.of(orgs[i % orgs.length]);
                default -> q.params().isEmpty() ? List.of() : q.params().get(0);
            };
            out.add(new RegisteredQuery(q.name() + "#" + i, q.sql(), List.of(params), q.budgetMs(), q.kind()));
        }
        return out;
    }

    private static void drop(PostgresAddress server, String name) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            // The name is this class's own constant plus a pid; it never comes from input.
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (java.sql.SQLException e) {
            System.err.println("bench plan: could not drop database " + name + ": " + e.getMessage());
        }
    }
}
