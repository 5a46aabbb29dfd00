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

    /**
     * Summed user + system CPU in nanoseconds of the whole server now, or -1 if not readable: the postmaster, its
     * live children (backends, WAL senders, autovacuum, checkpointer, ...) and the children it has reaped (the
     * postmaster's {@code cutime}/{@code cstime}). Unlike {@link #nanos}, a backend that ends between two readings
     * (a pool renewing its sessions after a schema change) keeps counting, so a difference is never negative; the
     * price is that every database of the server counts, which on a server of the benchmark's own is what it adds.
     */
    static long serverNanos(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            String[] backend = fields(rs.getLong(1));
            if (backend == null) {
                return -1;
            }
            long postmaster = Long.parseLong(backend[1]); // field 4: ppid
            String[] pm = fields(postmaster);
            if (pm == null) {
                return -1;
            }
            long ticks = Long.parseLong(pm[11]) + Long.parseLong(pm[12]) + Long.parseLong(pm[13])
                    + Long.parseLong(pm[14]);
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    String[] f = fields(Long.parseLong(name));
                    if (f != null && Long.parseLong(f[1]) == postmaster) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                }
            }
            return ticks * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (SQLException | IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name (index 0 is field 3, state), or null if gone. */
    private static String[] fields(long pid) {
        try {
            String text = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return text.substring(text.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
