package dev.deltawatch.worker.runtime;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.FaultCatalog;
import dev.deltawatch.worker.target.seed.SeedOptions;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The demo's tour of an example target's fault catalog: each fault is injected into a database of its own (the
 * target installed and seeded at the demo's size), every check its expectations name runs once, and the tour says
 * what was detected, in how long, and what was missed. A fault that needs more records than the demo seeds to be
 * observable ({@code -- Rows:} in its header) is not injected, and the tour says so.
 */
public final class CatalogTour {
    private static final Set<String> FAMILIES = Set.of("merge", "plan", "lock", "edge", "hygiene");

    private final PostgresAddress server;
    private final ExampleTarget target;
    private final long rows;
    private final PrintStream out;

    public CatalogTour(PostgresAddress server, ExampleTarget target, long rows, PrintStream out) {
        this.server = server;
        this.target = target;
        this.rows = rows;
        this.out = out;
    }

    /** Runs the tour; returns one detection per injected fault. */
    public List<FaultInjection.Detection> run() throws Exception {
        List<FaultCatalog.Fault> faults = target.faults().faults();
        List<FaultInjection.Detection> out = new ArrayList<>();
        int n = 0;
        for (FaultCatalog.Fault fault : faults) {
            n++;
            if (fault.minRows() > rows) {
                this.out.printf("%n[%d/%d] %s: not injected, observable from %,d records on (--rows %d)%n", n,
                        faults.size(), fault.resource(), fault.minRows(), rows);
                continue;
            }
            this.out.printf("%n[%d/%d] %s%n  %s%n", n, faults.size(), fault.resource(), fault.story());
            FaultInjection.Detection d = inject(fault, n);
            for (FaultCatalog.Expectation e : d.met()) {
                this.out.printf("  detected: %s %s @ %s%n", e.check(), e.rule(), e.subject());
            }
            for (FaultCatalog.Expectation e : d.missed()) {
                this.out.printf("  MISSED:   %s %s @ %s; its run: %s%n", e.check(), e.rule(), e.subject(),
                        d.runs().stream().filter(r -> r.run().check().equals(e.check())).map(r -> r.run().outcome()
                                + (r.run().error() == null ? "" : " " + r.run().error()) + ", found " + r.findings()
                                .stream().map(f -> f.rule() + " @ " + f.subject()).distinct().limit(5).toList())
                                .findFirst().orElse("did not run"));
            }
            this.out.printf("  (%,d ms: inject, then every check of %s)%n", d.millis(), String.join(", ",
                    fault.expectations().stream().map(FaultCatalog.Expectation::family).distinct().toList()));
            out.add(d);
        }
        return out;
    }

    private FaultInjection.Detection inject(FaultCatalog.Fault fault, int n) throws Exception {
        String name = "deltawatch_tour_" + Long.toString(System.currentTimeMillis() % 100_000_000L, 36) + "_" + n;
        PostgresAddress db = Database.createDatabase(server, name);
        try {
            try (HikariDataSource ds = Database.pool(db, "demo-tour", 2)) {
                target.install(ds);
            }
            target.seeder().seed(db, SeedOptions.of(rows, SeedOptions.DEFAULT_SEED, true), null, false);
            return FaultInjection.run(db, target.config(), fault, FAMILIES);
        } finally {
            drop(name);
        }
    }

    private void drop(String name) {
        try (Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            // The name was built above from a fixed prefix and digits: safe to inline (DROP DATABASE takes no parameter).
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (Exception e) {
            out.println("  (could not drop " + name + ": " + e.getMessage() + ")");
        }
    }
}
