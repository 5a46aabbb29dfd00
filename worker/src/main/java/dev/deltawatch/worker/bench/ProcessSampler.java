package dev.deltawatch.worker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resident memory and CPU time of one process (the worker JVM), read from {@code /proc/<pid>/status} (VmRSS) and
 * {@code /proc/<pid>/stat} (utime + stime) once a second on a thread of its own. Samples are kept with the time
 * they were taken, so a window's first and last minute can be compared (memory growth).
 */
final class ProcessSampler implements AutoCloseable {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    /** One sample: seconds since the sampler started, resident MB, CPU seconds used so far. */
    record Sample(double atS, double rssMb, double cpuS) {}

    private final long pid;
    private final long startNanos = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    ProcessSampler(long pid) {
        this.pid = pid;
        this.thread = new Thread(this::run, "bench-process-sampler-" + pid);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            Sample s = sample();
            if (s == null) {
                return; // the process has exited
            }
            synchronized (samples) {
                samples.add(s);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Now, or null when the process is gone (or /proc is not readable). */
    Sample sample() {
        try {
            double rssMb = -1;
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rssMb = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0; // kB
                }
            }
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpuS = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
            return new Sample((System.nanoTime() - startNanos) / 1e9, rssMb, cpuS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Seconds since this sampler started. */
    double now() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Samples taken from {@code fromS} to {@code toS} (seconds since start). */
    List<Sample> between(double fromS, double toS) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.atS() >= fromS && s.atS() <= toS).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
