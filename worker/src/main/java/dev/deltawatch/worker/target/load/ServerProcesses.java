package dev.deltawatch.worker.target.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU and memory of the PostgreSQL server's processes, read from /proc when the server runs on this machine:
 * the postmaster's pid comes from {@code postmaster.pid} in the server's data directory (readable only by a
 * superuser or pg_read_all_settings member), and its children are the backends. When any of that is not possible
 * (remote server, no privilege, not Linux), {@link #unavailableReason()} says why and nothing is sampled.
 */
final class ServerProcesses {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private final long postmasterPid;
    private final String unavailable;
    private List<Long> pids = List.of();
    private int scans;

    private ServerProcesses(long postmasterPid, String unavailable) {
        this.postmasterPid = postmasterPid;
        this.unavailable = unavailable;
    }

    static ServerProcesses locate(Connection c, String jdbcUrl) {
        if (!jdbcUrl.matches("jdbc:postgresql://(127\\.0\\.0\\.1|localhost|\\[::1\\])[:/].*")) {
            return new ServerProcesses(-1, "database server is not on this host");
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('data_directory')")) {
            rs.next();
            Path pidFile = Path.of(rs.getString(1), "postmaster.pid");
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            if (!Files.exists(Path.of("/proc", Long.toString(pid)))) {
                return new ServerProcesses(-1, "postmaster pid " + pid + " not visible in /proc");
            }
            return new ServerProcesses(pid, null);
        } catch (SQLException e) {
            return new ServerProcesses(-1, "data_directory not readable (needs pg_read_all_settings): "
                    + e.getSQLState());
        } catch (IOException | RuntimeException e) {
            return new ServerProcesses(-1, "postmaster.pid not readable: " + e.getMessage());
        }
    }

    String unavailableReason() {
        return unavailable;
    }

    /** {cpu seconds used so far, proportional memory in MB} summed over the postmaster and its children. */
    double[] sample() {
        if (unavailable != null) {
            return null;
        }
        double ticks = 0;
        double pssKb = 0;
        // Backends of a pool live long; re-list /proc only every 10th sample (listing costs more than reading).
        if (scans++ % 10 == 0) {
            pids = processes();
        }
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                pssKb += pss(pid);
            } catch (IOException | RuntimeException e) {
                // The backend exited between listing and reading: it no longer uses anything.
            }
        }
        return new double[] {ticks / TICKS_PER_SECOND, pssKb / 1024};
    }

    private List<Long> processes() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::parseLong)
                    .filter(pid -> pid == postmasterPid || parent(pid) == postmasterPid).toList();
        } catch (IOException e) {
            return List.of(postmasterPid);
        }
    }

    private static long parent(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3)[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // Pss divides shared buffers among the processes mapping them, so the sum is not inflated per backend.
    private static double pss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
            if (line.startsWith("Pss:")) {
                return Double.parseDouble(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
