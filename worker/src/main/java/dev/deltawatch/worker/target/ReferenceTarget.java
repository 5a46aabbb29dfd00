package dev.deltawatch.worker.target;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.config.TargetConfigLoader;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Installs the reference PFA target with Flyway. Idempotent: a second install applies nothing. The history
 * table is named for deltawatch so it cannot collide with an application's own Flyway history.
 */
public final class ReferenceTarget {
    public static final String MIGRATIONS = "classpath:db/reference";
    public static final String HISTORY_TABLE = "deltawatch_reference_history";
    public static final String CONFIG_RESOURCE = "reference-target.yaml";

    private ReferenceTarget() {}

    /** Applies pending migrations; returns how many were applied (0 when already installed). */
    public static int install(DataSource dataSource) {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return result.migrationsExecuted;
    }

    /** The shipped config describing the reference target (validated against the TargetConfig schema). */
    public static TargetConfig config() {
        return TargetConfigLoader.fromClasspath(CONFIG_RESOURCE);
    }
}
