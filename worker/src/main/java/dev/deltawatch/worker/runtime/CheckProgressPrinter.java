package dev.deltawatch.worker.runtime;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.worker.check.CheckProgress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a one-shot {@code check} shows on standard error while it runs, as {@code seed} does: each check as it
 * starts and ends (with its outcome and duration), and each full pass with records done / total, the rate and an
 * ETA: a bar redrawn twice a second on a terminal, a plain line every few seconds otherwise (logs and CI do not
 * understand carriage returns). Thread-safe: lanes report from their own threads; one daemon thread draws.
 */
public final class CheckProgressPrinter implements CheckProgress, AutoCloseable {
    static final long PLAIN_EVERY_MS = 5_000;
    private static final long BAR_EVERY_MS = 500;
    private static final String PREFIX = "check: ";

    private final PrintWriter out;
    private final boolean terminal;
    private final List<Running> passes = new ArrayList<>();
    private final Thread drawer;
    private int barWidth;
    private volatile boolean open = true;

    public CheckProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.drawer = new Thread(this::draw, "check-progress");
        drawer.setDaemon(true);
        drawer.start();
    }

    /** A check begins. */
    public void started(String check) {
        line(check + " started");
    }

    /** A check ended: its outcome, duration, and the finding count or the error. */
    public void finished(CheckRun run) {
        String detail = switch (run.outcome()) {
            case FAILED -> " (" + run.findingCount() + " finding" + (run.findingCount() == 1 ? "" : "s") + ")";
            case ERROR, SKIPPED -> run.error() == null ? "" : ": " + run.error();
            default -> "";
        };
        line(String.format(Locale.ROOT, "%s %s in %.1f s%s", run.check(), run.outcome(), run.durationMs() / 1e3,
                detail));
    }

    @Override
    public Pass pass(String check, long totalRecords) {
        Running p = new Running(check, totalRecords);
        synchronized (this) {
            passes.add(p);
        }
        return p;
    }

    /** Prints a line of its own, clearing a bar drawn on a terminal first (the next tick redraws it). */
    synchronized void line(String text) {
        if (terminal && barWidth > 0) {
            out.print("\r" + " ".repeat(barWidth) + "\r");
            barWidth = 0;
        }
        out.println(PREFIX + text);
        out.flush();
    }

    private void draw() {
        while (open) {
            try {
                Thread.sleep(terminal ? BAR_EVERY_MS : PLAIN_EVERY_MS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (!open || passes.isEmpty()) {
                    continue;
                }
                if (terminal) {
                    String bar = String.join("  |  ", passes.stream().map(p -> p.figures(true)).toList());
                    out.print("\r" + bar + " ".repeat(Math.max(0, barWidth - bar.length())));
                    barWidth = bar.length();
                    out.flush();
                } else {
                    passes.forEach(p -> line(p.figures(false)));
                }
            }
        }
    }

    @Override
    public void close() {
        open = false;
        drawer.interrupt();
    }

    /** One full pass being counted. */
    private final class Running implements Pass {
        private final String check;
        private final long total;
        private final long startNanos = System.nanoTime();
        private final AtomicLong done = new AtomicLong();

        Running(String check, long total) {
            this.check = check;
            this.total = total;
        }

        @Override
        public void add(long records) {
            done.addAndGet(records);
        }

        String figures(boolean bar) {
            long d = done.get();
            double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
            double rate = d / seconds;
            String of = total > 0 ? String.format(Locale.ROOT, "%,d/%,d", d, Math.max(total, d))
                    : String.format(Locale.ROOT, "%,d", d);
            String eta = total > 0 && rate > 0 ? "  ETA " + Math.max(0, Math.round((total - d) / rate)) + "s" : "";
            String figures = String.format(Locale.ROOT, "%s %s records  %,.0f records/s%s", check, of, rate, eta);
            if (!bar || total <= 0) {
                return figures;
            }
            int width = 20;
            int filled = (int) Math.round(Math.min(1.0, (double) d / total) * width);
            return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + figures;
        }

        @Override
        public void close() {
            synchronized (CheckProgressPrinter.this) {
                if (!passes.remove(this)) {
                    return;
                }
            }
            line(String.format(Locale.ROOT, "%s read %,d records in %.1f s", check, done.get(),
                    (System.nanoTime() - startNanos) / 1e9));
        }
    }
}
