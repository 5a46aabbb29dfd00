package dev.deltawatch.worker.bench;

import dev.deltawatch.worker.check.plan.TargetBaselineStore;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.seed.Seeder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A reference target kept between bench runs: how many records it holds, and what a previous run left behind. */
final class KeptTarget {
    private KeptTarget() {}

    /** Records in the reference table; 0 when the target is not installed. */
    static long records(PostgresAddress address) throws SQLException {
        try (Connection c = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + Seeder.TABLE + "') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + Seeder.TABLE)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Drops the plan baselines a previous pass stored, so that every run audits as the first pass on a fresh
     * database does (a baseline would turn the audit into a regression comparison with the last run).
     */
    static void forgetPreviousRuns(PostgresAddress address) throws SQLException {
        try (Connection c = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password());
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TargetBaselineStore.TABLE);
        }
    }
}
