package dev.deltawatch.worker.target.load;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Once per interval: connections of the target database from {@code pg_stat_activity} (total and active,
 * excluding the sampler's own session), the database server's CPU and memory (see {@link ServerProcesses}), and
 * the load generator's own CPU and heap. Keeps averages and maxima. Used from one thread.
 */
public final class ResourceSampler {
    /** Summary of the run's resource use; CPU in percent of one core, memory in MB; -1 when not measured. */
    public record Resources(double connectionsAvg, int connectionsMax, int activeMax, double dbCpuAvgPct,
                     double dbCpuMaxPct, double dbMemoryMaxMb, String dbUnavailable, double loadCpuAvgPct,
                     double loadCpuMaxPct, double loadHeapMaxMb, int cores, String connectionsUnavailable) {}

    private final Connection connection;
    private final ServerProcesses server;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final int cores = Runtime.getRuntime().availableProcessors();
    private long samples;
    private double connSum;
    private int connMax;
    private int activeMax;
    private double[] lastDb;
    private long lastAtNanos;
    private double dbCpuSum;
    private double dbCpuMax;
    private int dbCpuSamples;
    private double dbMemMax = -1;
    private double loadCpuSum;
    private double loadCpuMax;
    private double heapMax;
    private long lastLoadCpuNanos;
    private String connectionError;

    ResourceSampler(Connection connection, String jdbcUrl) {
        this.connection = connection;
        this.server = ServerProcesses.locate(connection, jdbcUrl);
        this.lastDb = server.sample();
        this.lastAtNanos = System.nanoTime(); // after the scan: CPU and time windows must end together
        this.lastLoadCpuNanos = os.getProcessCpuTime();
    }

    void sample() {
        // Statistics views are snapshotted per transaction: an open one would report the same numbers forever.
        try {
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            connectionError = "sampler connection unusable: " + e.getMessage();
        }
        samples++;
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE state = 'active') "
                     + "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            connSum += rs.getInt(1);
            connMax = Math.max(connMax, rs.getInt(1));
            activeMax = Math.max(activeMax, rs.getInt(2));
        } catch (SQLException e) {
            samples--;
            connectionError = connectionError == null ? "pg_stat_activity not sampled: " + e.getMessage()
                    : connectionError;
        }
        double[] db = server.sample();
        long now = System.nanoTime();
        double elapsed = Math.max(1e-3, (now - lastAtNanos) / 1e9);
        lastAtNanos = now;
        if (db != null && lastDb != null) {
            double pct = (db[0] - lastDb[0]) / elapsed * 100;
            dbCpuSum += pct;
            dbCpuMax = Math.max(dbCpuMax, pct);
            dbCpuSamples++;
            dbMemMax = Math.max(dbMemMax, db[1]);
        }
        lastDb = db;
        long cpu = os.getProcessCpuTime();
        double loadPct = (cpu - lastLoadCpuNanos) / 1e9 / elapsed * 100;
        lastLoadCpuNanos = cpu;
        loadCpuSum += loadPct;
        loadCpuMax = Math.max(loadCpuMax, loadPct);
        Runtime rt = Runtime.getRuntime();
        heapMax = Math.max(heapMax, (rt.totalMemory() - rt.freeMemory()) / 1e6);
    }

    Resources summary(long intervals) {
        long n = Math.max(1, intervals);
        return new Resources(round(connSum / Math.max(1, samples)), connMax, activeMax,
                dbCpuSamples == 0 ? -1 : round(dbCpuSum / dbCpuSamples), dbCpuSamples == 0 ? -1 : round(dbCpuMax),
                round(dbMemMax), server.unavailableReason(), round(loadCpuSum / n), round(loadCpuMax), round(heapMax),
                cores, connectionError);
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
