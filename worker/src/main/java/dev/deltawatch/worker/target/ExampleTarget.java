package dev.deltawatch.worker.target;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.config.TargetConfigLoader;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * One example mirror + delta system shipped with deltawatch: its Flyway migrations, the target config describing
 * it, a seeder, and its fault catalog (realistic regressions, each a migration applied on top of the clean target).
 *
 * @param name          the {@code --target} name
 * @param description   one line: the shape, for {@code target list}
 * @param migrations    Flyway location of the migrations
 * @param historyTable  Flyway history table, named for deltawatch so it cannot collide with the application's
 * @param configResource classpath resource of the target config
 * @param seeder        fills the target with generated data
 * @param faultCatalog  classpath folder of the indexed fault catalog ({@code faults/<name>}), or null: the
 *                      reference target's catalog ({@code faults/{merge,plan,lock,hygiene}}) predates the index
 *                      and its tests load each fault by name
 */
public record ExampleTarget(String name, String description, String migrations, String historyTable,
                            String configResource, TargetSeeder seeder, String faultCatalog) {

    /** Applies pending migrations; returns how many were applied (0 when already installed). */
    public int install(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(migrations)
                .table(historyTable)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate()
                .migrationsExecuted;
    }

    /** The shipped config describing this target. */
    public TargetConfig config() {
        return TargetConfigLoader.fromClasspath(configResource);
    }

    /** The fault catalog, read from its index and the faults' header comments. */
    public FaultCatalog faults() {
        return faultCatalog == null ? FaultCatalog.empty() : FaultCatalog.load(faultCatalog);
    }
}
