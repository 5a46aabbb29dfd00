package dev.deltawatch.worker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * CPU time of the PostgreSQL processes serving one database (its backends and its logical WAL sender), read
 * from {@code /proc}: only when the server runs on this host (the embedded one), else unknown (-1).
 */
final class PostgresCpu {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private PostgresCpu() {}

    /**
     * CPU of the whole local server in nanoseconds, or -1 if not readable: the postmaster, its live children and the
     * children it has reaped (its cutime/cstime, {@link ProcessFigures#postgresServerCpuSeconds}). Unlike
     * {@link #nanos}, a backend that ends between two readings (a pool renewing its sessions after a schema change, a
     * fault drill's session) keeps counting, so a difference is never negative; every database of the server counts,
     * which on a server of the benchmark's own is what it adds.
     */
    static long serverNanos(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            double seconds = ProcessFigures.postgresServerCpuSeconds(c);
            return seconds < 0 ? -1 : Math.round(seconds * 1e9);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Summed user + system CPU in nanoseconds of the database's server processes now, or -1 if not readable. */
    static long nanos(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")) {
            List<Long> pids = new ArrayList<>();
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
            long ticks = 0;
            for (long pid : pids) {
                Path stat = Path.of("/proc", String.valueOf(pid), "stat");
                if (!Files.isReadable(stat)) {
                    return -1;
                }
                String text = Files.readString(stat);
                // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
                String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
            return ticks * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (SQLException | IOException | RuntimeException e) {
            return -1;
        }
    }
}
