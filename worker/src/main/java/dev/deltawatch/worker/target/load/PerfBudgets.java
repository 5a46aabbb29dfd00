package dev.deltawatch.worker.target.load;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.findings.FindingBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Budgets exceeded during a load run, as findings of the {@code perf} family: an operation whose p95 is over its
 * registered budget (HIGH), and a run where more than 1% of operations failed for reasons other than version
 * conflicts (HIGH). Fingerprints carry family, rule, target and operation, never the measured figures.
 */
final class PerfBudgets {
    static final String FAMILY = "perf";
    static final String LATENCY_RULE = "load-latency-budget";
    static final String ERROR_RULE = "load-error-rate";
    static final double MAX_FAILURE_SHARE = 0.01;

    private PerfBudgets() {}

    static List<Finding> findings(LoadReport r) {
        List<Finding> out = new ArrayList<>();
        for (LoadReport.Operation op : r.operations()) {
            if (op.budgetMs() != null && op.count() > 0 && op.p95Ms() > op.budgetMs()) {
                out.add(latency(r, op));
            }
        }
        long ops = r.operations().stream().mapToLong(LoadReport.Operation::count).sum();
        if (r.failures() > 0 && r.failures() > MAX_FAILURE_SHARE * (ops + r.failures())) {
            out.add(new FindingBuilder(FAMILY, ERROR_RULE, Severity.HIGH, r.target(), new Subject("scenario",
                    r.scenario()))
                    .title("Load scenario " + r.scenario() + " fails more than 1% of operations")
                    .problem(String.format(Locale.ROOT, "%,d of %,d operations failed under %d users: %s", r.failures(),
                            ops + r.failures(), r.users(), r.errors()))
                    .evidence("errors by kind", "json", r.errors().toString())
                    .fix("Look up the failing SQLSTATEs above: statement_timeout means a slow plan (run "
                            + "`deltawatch bench budgets`), lock_timeout or deadlock means write contention on the "
                            + "same rows; size the pool below max_connections.")
                    .build());
        }
        return out;
    }

    private static Finding latency(LoadReport r, LoadReport.Operation op) {
        String figures = String.format(Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms over %,d "
                + "operations (%.0f/s) with %d users", op.p50Ms(), op.p95Ms(), op.p99Ms(), op.maxMs(), op.count(),
                op.throughputPerS(), r.users());
        Severity severity = op.p95Ms() > 10 * op.budgetMs() ? Severity.BLOCKER : Severity.HIGH;
        return new FindingBuilder(FAMILY, LATENCY_RULE, severity, r.target(), new Subject("query", op.name()))
                .title(op.name() + " p95 over its " + op.budgetMs() + " ms budget under " + r.scenario())
                .problem("Under the " + r.scenario() + " load, " + op.name() + " took " + figures + "; its budget is "
                        + op.budgetMs() + " ms at p95.")
                .evidence("latency percentiles", "text", figures)
                .evidence("resources", "text", r.resources().toString())
                .fix("EXPLAIN (ANALYZE, BUFFERS) the query with parameters from this run; if the plan is an index "
                        + "scan, the server is saturated (CPU " + r.resources().dbCpuMaxPct() + "% max): reduce "
                        + "concurrency through the pool or add capacity; otherwise add the index the plan lacks.")
                .expectedImprovement("p95 back under " + op.budgetMs() + " ms")
                .build();
    }
}
