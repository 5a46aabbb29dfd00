package dev.deltawatch.worker.target.load;

import dev.deltawatch.contracts.Finding;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one load run, serialized as the JSON report and rendered as the HTML one.
 *
 * @param scenario         scenario name
 * @param target           target name from its config
 * @param startedAt        ISO-8601 start time
 * @param durationS        measured seconds
 * @param users            concurrent users (or bulk workers)
 * @param poolSize         HikariCP maximum pool size used
 * @param throughputPerS   successful operations per second, all operations together
 * @param operations       per-operation figures
 * @param errors           errors by kind ({@code version_conflict} included, counted apart below)
 * @param versionConflicts optimistic-lock conflicts (expected under contention, retried)
 * @param failures         every other error
 * @param resources        connections, CPU and memory of the server and the generator
 * @param findings         budgets exceeded, as {@code perf} findings
 * @param notes            what the reader should know about how this was measured
 */
public record LoadReport(String scenario, String target, String startedAt, double durationS, int users, int poolSize,
                         double throughputPerS, List<Operation> operations, Map<String, Long> errors,
                         long versionConflicts, long failures, ResourceSampler.Resources resources,
                         List<Finding> findings, List<String> notes) {

    /**
     * One operation's figures; latencies in milliseconds.
     *
     * @param distribution {percentile, latency ms} pairs for the percentile plot
     * @param timeline     per-interval percentiles for the latency-over-time chart
     */
    public record Operation(String name, long count, double throughputPerS, double p50Ms, double p95Ms,
                            double p99Ms, double maxMs, double meanMs, Long budgetMs, List<double[]> distribution,
                            List<OperationStats.Point> timeline) {}

    public Operation operation(String name) {
        return operations.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
    }
}
