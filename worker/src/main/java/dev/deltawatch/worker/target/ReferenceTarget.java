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
    /**
     * The reference target's fault catalog ({@link FaultCatalog#load}): faults/index.txt over faults/merge, plan, lock,
     * edge and hygiene. {@link ExampleTargets#REFERENCE} does not name it: its {@code demo} is the interactive one.
     */
    public static final String FAULT_CATALOG = "faults";

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

    /**
     * The reference definition of a function or index, as the first migration creates it, ready to re-apply
     * ({@code CREATE OR REPLACE FUNCTION}, {@code CREATE INDEX IF NOT EXISTS}). The demo reverts injected faults
     * with it, so the clean definition lives in one place only.
     */
    public static String originalDefinition(String name) {
        String sql;
        try (var in = ReferenceTarget.class.getClassLoader().getResourceAsStream("db/reference/V1__pfa_schema.sql")) {
            sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("the reference migration is missing from the classpath", e);
        }
        int fn = sql.indexOf("CREATE FUNCTION " + name + "(");
        if (fn >= 0) {
            int body = sql.indexOf("$$", sql.indexOf("AS $$", fn) + 5);
            return "CREATE OR REPLACE FUNCTION " + sql.substring(fn + "CREATE FUNCTION ".length(), body + 2) + ";";
        }
        int ix = sql.indexOf("CREATE INDEX " + name + " ");
        if (ix >= 0) {
            return "CREATE INDEX IF NOT EXISTS " + sql.substring(ix + "CREATE INDEX ".length(), sql.indexOf(';', ix) + 1);
        }
        throw new IllegalArgumentException("the reference target defines no function or index named " + name);
    }

    /** The shipped config describing the reference target (validated against the TargetConfig schema). */
    public static TargetConfig config() {
        return TargetConfigLoader.fromClasspath(CONFIG_RESOURCE);
    }
}
