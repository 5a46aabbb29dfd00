package dev.deltawatch.worker.target.seed;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rows and bytes sent so far, shown as a redrawn progress bar on a terminal, or as a plain line every few
 * seconds otherwise (logs and CI do not understand carriage returns). Thread-safe counters; the reporter is
 * driven by one background thread.
 */
public final class SeedProgress implements AutoCloseable {
    private static final long PLAIN_EVERY_MS = 5_000;
    private static final long BAR_EVERY_MS = 500;

    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final long totalRows;
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private final Thread reporter;
    private volatile boolean running = true;

    /** {@code out} may be null for a silent run (benchmarks). */
    public SeedProgress(long totalRows, PrintStream out, boolean terminal) {
        this.totalRows = totalRows;
        this.out = out;
        this.terminal = terminal;
        this.reporter = new Thread(this::report, "seed-progress");
        reporter.setDaemon(true);
        if (out != null) {
            reporter.start();
        }
    }

    /** Counts rows and COPY bytes sent (any thread). */
    public void add(long addedRows, long addedBytes) {
        rows.addAndGet(addedRows);
        bytes.addAndGet(addedBytes);
    }

    public long rows() {
        return rows.get();
    }

    public long bytes() {
        return bytes.get();
    }

    private void report() {
        while (running) {
            try {
                Thread.sleep(terminal ? BAR_EVERY_MS : PLAIN_EVERY_MS);
            } catch (InterruptedException e) {
                return;
            }
            if (running) {
                out.print(terminal ? "\r" + line(true) : line(false) + "\n");
                out.flush();
            }
        }
    }

    String line(boolean bar) {
        long r = rows.get();
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double rate = r / seconds;
        double share = Math.min(1.0, (double) r / totalRows);
        long eta = rate > 0 ? Math.round((totalRows - r) / rate) : -1;
        String figures = String.format(Locale.ROOT, "%,d/%,d rows  %.1f MB  %,.0f rows/s  ETA %s", r, totalRows,
                bytes.get() / 1e6, rate, eta < 0 ? "?" : eta + "s");
        if (!bar) {
            return "seed: " + figures;
        }
        int width = 30;
        int filled = (int) Math.round(share * width);
        return String.format(Locale.ROOT, "[%s%s] %3.0f%%  %s   ", "#".repeat(filled), " ".repeat(width - filled),
                share * 100, figures);
    }

    @Override
    public void close() {
        running = false;
        reporter.interrupt();
        if (out != null && terminal) {
            out.print("\r" + line(true) + "\n");
            out.flush();
        }
    }
}
