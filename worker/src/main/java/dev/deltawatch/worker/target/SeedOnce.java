package dev.deltawatch.worker.target;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.SqlIdentifiers;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.seed.SeedOptions;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An example target made ready for a worker that starts on an empty database: installed (Flyway, idempotent) and
 * seeded only while its mirror table holds no record. A stack that restarts runs this again and must neither fail
 * nor add a second batch of records on top of the first.
 */
public final class SeedOnce {
    /**
     * @param migrationsApplied migrations this call applied (0 when the target was already installed)
     * @param seeded            what the seed did, or null when nothing was seeded
     * @param hadRecords        whether the mirror table held records before (then nothing is seeded)
     */
    public record Outcome(int migrationsApplied, SeedReport seeded, boolean hadRecords) {}

    private SeedOnce() {}

    /** Installs {@code example} and, when its mirror table is empty and {@code seed} is not null, seeds it. */
    public static Outcome apply(ExampleTarget example, PostgresAddress address, SeedOptions seed, PrintStream log)
            throws Exception {
        int applied;
        boolean empty;
        try (HikariDataSource ds = Database.pool(address, "target-setup", 2)) {
            applied = example.install(ds);
            empty = mirrorIsEmpty(ds, example.config());
        }
        if (!empty || seed == null) {
            return new Outcome(applied, null, !empty);
        }
        return new Outcome(applied, example.seeder().seed(address, seed, log, false), false);
    }

    private static boolean mirrorIsEmpty(HikariDataSource ds, TargetConfig config) throws SQLException {
        String schema = config.schema();
        String table = config.documents().mirror().table();
        try (Connection c = ds.getConnection()) {
            // The table was just installed by the example's own migrations; confirm it before naming it in SQL.
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT 1 FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
                     WHERE n.nspname = ? AND r.relname = ?""")) {
                ps.setString(1, schema);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("example target " + config.name() + ": its migrations did not create "
                                + schema + "." + table);
                    }
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM "
                         + SqlIdentifiers.qualified(schema, table) + ")")) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
