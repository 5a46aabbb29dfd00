package dev.deltawatch.worker.check.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * What the runner measured for one audited query: for each parameter set, the plans of the measured runs.
 *
 * @param query    the query
 * @param sets     one entry per parameter set that ran
 * @param error    why the query could not be explained (a one-line message), or {@code null}
 * @param timedOut true when {@code statement_timeout} cancelled it
 * @param jdbcMs   wall time spent inside the JDBC EXPLAIN calls (send to last byte), warmups included
 * @param serverMs planning + execution time the server reported for every run, warmups included
 */
public record QueryMeasurement(AuditQuery query, List<ParamSetRuns> sets, String error, boolean timedOut,
                               double jdbcMs, double serverMs) {

    /**
     * The measured runs of one parameter set.
     *
     * <p>Why only one tree: the rules, shapes and findings all read the last run's plan (the warmest cache), and
     * the p95 needs nothing but each run's server time; so the runner parses the full tree of the last run only.
     *
     * @param samplesMs      server time (planning + execution) of each measured run, in order
     * @param representative the last run's plan: the plan the rules judge
     */
    public record ParamSetRuns(int index, List<Object> params, List<Double> samplesMs, ExplainedPlan representative) {
        public ParamSetRuns {
            samplesMs = List.copyOf(samplesMs);
            java.util.Objects.requireNonNull(representative, "representative");
        }

        /** From whole plans, one per run in order (the last one is the representative). */
        public ParamSetRuns(int index, List<Object> params, List<ExplainedPlan> plans) {
            this(index, params, plans.stream().map(ExplainedPlan::serverMs).toList(), plans.get(plans.size() - 1));
        }
    }

    public QueryMeasurement {
        sets = List.copyOf(sets);
    }

    public boolean failed() {
        return error != null;
    }

    /** Server time (planning + execution) of every measured run. */
    public List<Double> samplesMs() {
        List<Double> out = new ArrayList<>();
        sets.forEach(s -> out.addAll(s.samplesMs()));
        return out;
    }

    /** p95 of the server time over all measured runs (nearest rank); 0 when nothing ran. */
    public double p95Ms() {
        return percentile(samplesMs(), 0.95);
    }

    /** The slowest measured run's set, whose plan a latency finding shows. */
    public ParamSetRuns slowestSet() {
        ParamSetRuns worst = null;
        double worstMs = -1;
        for (ParamSetRuns s : sets) {
            for (double ms : s.samplesMs()) {
                if (ms > worstMs) {
                    worstMs = ms;
                    worst = s;
                }
            }
        }
        return worst;
    }

    static double percentile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
