package dev.deltawatch.worker.target.load;

import dev.deltawatch.contracts.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page for a {@link LoadReport}: summary tables, and per operation a latency-over-time chart
 * (p50/p95/p99 per interval) and a percentile distribution plot (latency against 1/(1-percentile), the
 * HdrHistogram convention), both as inline SVG rendered here. No script, no network at view time.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static String render(LoadReport r) {
        StringBuilder b = new StringBuilder(64_000);
        b.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>deltawatch load: ")
                .append(Svg.escape(r.scenario())).append("</title><style>body{font-family:sans-serif;margin:2em}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                + "th{background:#eee}.bad{color:#b00}</style></head><body>");
        b.append("<h1>Load: ").append(Svg.escape(r.scenario())).append(" on ").append(Svg.escape(r.target()))
                .append("</h1>");
        b.append(String.format(Locale.ROOT, "<p>Started %s, %.1f s, %d users, pool %d, %,.1f ops/s, %d version "
                + "conflicts, %d failures.</p>", Svg.escape(r.startedAt()), r.durationS(), r.users(), r.poolSize(),
                r.throughputPerS(), r.versionConflicts(), r.failures()));
        operationsTable(b, r);
        b.append("<h2>Errors by kind</h2><p>").append(Svg.escape(r.errors().toString())).append("</p>");
        b.append("<h2>Resources</h2><p>").append(Svg.escape(r.resources().toString())).append("</p>");
        findings(b, r.findings());
        for (LoadReport.Operation op : r.operations()) {
            b.append("<h2>").append(Svg.escape(op.name())).append("</h2>");
            b.append(timeline(op)).append(distribution(op));
        }
        b.append("<h2>Notes</h2><ul>");
        r.notes().forEach(n -> b.append("<li>").append(Svg.escape(n)).append("</li>"));
        return b.append("</ul></body></html>").toString();
    }

    private static void operationsTable(StringBuilder b, LoadReport r) {
        b.append("<table><tr><th>operation</th><th>count</th><th>ops/s</th><th>p50 ms</th><th>p95 ms</th>"
                + "<th>p99 ms</th><th>max ms</th><th>budget ms</th></tr>");
        for (LoadReport.Operation op : r.operations()) {
            boolean over = op.budgetMs() != null && op.p95Ms() > op.budgetMs();
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%.1f</td><td>%.2f</td>"
                    + "<td class=\"%s\">%.2f</td><td>%.2f</td><td>%.2f</td><td>%s</td></tr>", Svg.escape(op.name()),
                    op.count(), op.throughputPerS(), op.p50Ms(), over ? "bad" : "", op.p95Ms(), op.p99Ms(),
                    op.maxMs(), op.budgetMs() == null ? "-" : op.budgetMs()));
        }
        b.append("</table>");
    }

    private static void findings(StringBuilder b, List<Finding> findings) {
        b.append("<h2>Findings (perf)</h2>");
        if (findings.isEmpty()) {
            b.append("<p>No budget exceeded.</p>");
            return;
        }
        b.append("<ul>");
        for (Finding f : findings) {
            b.append("<li><b>").append(f.severity()).append("</b> ").append(Svg.escape(f.title())).append(": ")
                    .append(Svg.escape(String.valueOf(f.problem()))).append(" <i>Fix:</i> ")
                    .append(Svg.escape(String.valueOf(f.fix()))).append("</li>");
        }
        b.append("</ul>");
    }

    private static String timeline(LoadReport.Operation op) {
        List<OperationStats.Point> pts = op.timeline();
        double[] x = pts.stream().mapToDouble(OperationStats.Point::atSeconds).toArray();
        List<Svg.Series> series = List.of(
                new Svg.Series("p50", x, pts.stream().mapToDouble(OperationStats.Point::p50Ms).toArray()),
                new Svg.Series("p95", x, pts.stream().mapToDouble(OperationStats.Point::p95Ms).toArray()),
                new Svg.Series("p99", x, pts.stream().mapToDouble(OperationStats.Point::p99Ms).toArray()));
        double end = x.length == 0 ? 1 : x[x.length - 1];
        double[] ticks = {0, end / 4, end / 2, 3 * end / 4, end};
        String[] labels = new String[ticks.length];
        for (int i = 0; i < ticks.length; i++) {
            labels[i] = String.format(Locale.ROOT, "%.0fs", ticks[i]);
        }
        return Svg.chart(op.name() + " latency over time", "elapsed", "latency (ms)", series, ticks, labels);
    }

    private static String distribution(LoadReport.Operation op) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (double[] p : op.distribution()) {
            if (p[0] < 100) {
                xs.add(Math.log10(1 / (1 - p[0] / 100))); // 0 at p0, 1 at p90, 2 at p99, ...
                ys.add(p[1]);
            }
        }
        double[] ticks = {0, 1, 2, 3, 4};
        String[] labels = {"p0", "p90", "p99", "p99.9", "p99.99"};
        return Svg.chart(op.name() + " latency by percentile", "percentile", "latency (ms)",
                List.of(new Svg.Series(op.name(), xs.stream().mapToDouble(Double::doubleValue).toArray(),
                        ys.stream().mapToDouble(Double::doubleValue).toArray())), ticks, labels);
    }
}
