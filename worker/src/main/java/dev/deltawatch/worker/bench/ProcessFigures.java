package dev.deltawatch.worker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Figures of this process and machine from {@code /proc} (Linux); absent elsewhere. */
final class ProcessFigures {
    private ProcessFigures() {}

    /** The 1, 5 and 15 minute load averages as {@code /proc/loadavg} shows them; null where there is none. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return null;
        }
    }

    /** Resets the kernel's peak-RSS mark of this process (VmHWM), so a later reading covers only what follows. */
    static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            // Not Linux or not permitted: the peak then covers the whole process, which the figure's doc says.
        }
    }

    /** CPU seconds (user + system) this JVM has used so far; -1 where unknown. */
    static double jvmCpuSeconds() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return -1;
    }

    /**
     * CPU seconds the whole PostgreSQL server has used so far: the postmaster, its live children, and (through the
     * postmaster's cutime/cstime) every child that has exited, such as the backends of a pool closed meanwhile. Only
     * for a server on this host whose {@code /proc} is readable; -1 otherwise. Load-independent where wall time on a
     * shared machine is not.
     */
    static double postgresServerCpuSeconds(java.sql.Connection c) {
        try (java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            long postmaster = Long.parseLong(statFields(rs.getLong(1))[1]);
            String[] own = statFields(postmaster);
            long ticks = Long.parseLong(own[11]) + Long.parseLong(own[12]) + Long.parseLong(own[13])
                    + Long.parseLong(own[14]);
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String[] f = statFields(Long.parseLong(name));
                        if (Long.parseLong(f[1]) == postmaster) {
                            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        }
                    } catch (IOException | RuntimeException gone) {
                        // The process exited between listing and reading: its time is in the postmaster's cutime.
                    }
                }
            }
            return ticks / 100.0; // USER_HZ
        } catch (java.sql.SQLException | IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [11] utime, [12] stime, [13] cutime. */
    private static String[] statFields(long pid) throws IOException {
        String text = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        return text.substring(text.lastIndexOf(')') + 2).split(" ");
    }

    /** Peak resident set (VmHWM) in MB; -1 where unknown. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
