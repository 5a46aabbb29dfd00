package dev.deltawatch.worker.bench;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * The local server's CPU split by who asked for it, read every second from {@code /proc} and
 * {@code pg_stat_activity}: the workload's sessions, deltawatch's checks, its capture (the logical WAL sender and
 * Debezium's and capture's own sessions), and everything else (background processes, the benchmark's fault DDL). A
 * difference of the whole server's CPU between rounds says what watching adds in all; this says where it goes,
 * unmoved by a fault's own {@code CREATE INDEX} or an autovacuum that happened to run in one round. A session that
 * ends between two readings loses its last second: the split is a lower bound, the server total is exact.
 */
final class PostgresCpuByClient implements AutoCloseable {
    enum Client { WORKLOAD, CHECKS, CAPTURE, OTHER }

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final DataSource ds;
    private final String workloadApplication;
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private final Map<Client, Long> ticks = new EnumMap<>(Client.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-pg-cpu-by-client");
        t.setDaemon(true);
        return t;
    });
    private final Map<Client, Long> quietTicks = new EnumMap<>(Client.class);
    private volatile BooleanSupplier quiet = () -> false;
    private boolean lastQuiet;
    private long lastSampleNanos;
    private long quietNanos;
    private boolean first = true;
    private boolean readable = true;

    /** CPU seconds per client since sampling started, in all and in the quiet seconds only; empty when unreadable. */
    record Reading(Map<Client, Double> all, Map<Client, Double> quiet, double quietS) {}

    /** Starts sampling; {@code workloadApplication} is the {@code application_name} of the workload's sessions. */
    PostgresCpuByClient(DataSource ds, String workloadApplication) {
        this.ds = ds;
        this.workloadApplication = workloadApplication;
        for (Client c : Client.values()) {
            ticks.put(c, 0L);
            quietTicks.put(c, 0L);
        }
        sample();
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    private Client classify(String backendType, String application) {
        String app = application == null ? "" : application;
        if ("walsender".equals(backendType) || app.startsWith("Debezium") || app.equals("deltawatch-capture")) {
            return Client.CAPTURE;
        }
        if (app.startsWith("deltawatch-worker")) { // the checks' pool and the long probes' pool
            return Client.CHECKS;
        }
        return "client backend".equals(backendType) && app.equals(workloadApplication) ? Client.WORKLOAD
                : Client.OTHER;
    }

    /**
     * From now on, the time between two readings that both find {@code quiet} true also counts as quiet: the split
     * of the steady state, apart from the moments the bench itself disturbs.
     */
    void setQuiet(BooleanSupplier quiet) {
        this.quiet = quiet;
    }

    /** A fresh reading, then the CPU seconds per client since sampling started. */
    synchronized Reading seconds() {
        sample();
        return new Reading(secondsOf(ticks), secondsOf(quietTicks), quietNanos / 1e9);
    }

    private Map<Client, Double> secondsOf(Map<Client, Long> byClient) {
        Map<Client, Double> out = new EnumMap<>(Client.class);
        if (readable) {
            byClient.forEach((c, t) -> out.put(c, (double) t / TICKS_PER_SECOND));
        }
        return out;
    }

    private synchronized void sample() {
        boolean quietNow = quiet.getAsBoolean();
        long now = System.nanoTime();
        boolean quietInterval = quietNow && lastQuiet && !first;
        if (quietInterval) {
            quietNanos += now - lastSampleNanos;
        }
        lastQuiet = quietNow;
        lastSampleNanos = now;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pid, backend_type, application_name FROM pg_stat_activity")) {
            Set<Long> seen = new HashSet<>();
            int listed = 0;
            while (rs.next()) {
                listed++;
                long pid = rs.getLong(1);
                String text;
                try {
                    text = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                } catch (AccessDeniedException e) {
                    readable = false;
                    return;
                } catch (IOException e) {
                    continue; // ended since the query (a pooled session renewed after a schema change)
                }
                String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
                long used = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                seen.add(pid);
                Long before = lastTicks.put(pid, used);
                // A process first seen after the first reading started since the last one: all its CPU is new.
                long delta = before != null ? used - before : first ? 0 : used;
                Client client = classify(rs.getString(2), rs.getString(3));
                ticks.merge(client, delta, Long::sum);
                if (quietInterval) {
                    quietTicks.merge(client, delta, Long::sum);
                }
            }
            if (listed > 0 && seen.isEmpty()) {
                readable = false; // not one process of the server visible (a /proc mounted with hidepid)
                return;
            }
            lastTicks.keySet().retainAll(seen);
            first = false;
        } catch (SQLException | RuntimeException e) {
            // A missed reading folds into the next one.
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
