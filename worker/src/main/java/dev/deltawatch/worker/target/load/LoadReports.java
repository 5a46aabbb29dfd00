package dev.deltawatch.worker.target.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.deltawatch.contracts.Contracts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes a {@link LoadReport} as JSON or HTML, and prints its short text summary. */
public final class LoadReports {
    private LoadReports() {}

    public static String json(LoadReport r) {
        try {
            return Contracts.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("load report not serializable: " + e.getMessage(), e);
        }
    }

    public static void writeJson(LoadReport r, Path file) throws IOException {
        Files.writeString(file, json(r));
    }

    public static void writeHtml(LoadReport r, Path file) throws IOException {
        Files.writeString(file, HtmlReport.render(r));
    }

    public static void printSummary(LoadReport r, PrintWriter out) {
        out.printf(Locale.ROOT, "%s: %.1f s, %d users (pool %d), %,.1f ops/s, %d version conflicts, %d failures%n",
                r.scenario(), r.durationS(), r.users(), r.poolSize(), r.throughputPerS(), r.versionConflicts(),
                r.failures());
        out.printf(Locale.ROOT, "%-30s %10s %9s %9s %9s %9s %9s %7s%n", "operation", "count", "ops/s", "p50 ms",
                "p95 ms", "p99 ms", "max ms", "budget");
        for (LoadReport.Operation op : r.operations()) {
            out.printf(Locale.ROOT, "%-30s %,10d %9.1f %9.2f %9.2f %9.2f %9.2f %7s%n", op.name(), op.count(),
                    op.throughputPerS(), op.p50Ms(), op.p95Ms(), op.p99Ms(), op.maxMs(),
                    op.budgetMs() == null ? "-" : op.budgetMs());
        }
        out.println("errors: " + r.errors());
        out.println("resources: " + r.resources());
        r.findings().forEach(f -> out.println("finding " + f.severity() + " " + f.rule() + ": " + f.title()));
        r.notes().forEach(n -> out.println("note: " + n));
    }
}
