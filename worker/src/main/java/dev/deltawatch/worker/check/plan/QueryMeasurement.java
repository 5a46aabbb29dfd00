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

    /** The measured runs of one parameter set; {@code plans} holds one plan per run, in order. */
    public record ParamSetRuns(int index, List<Object> params, List<ExplainedPlan> plans) {
        /** The last run's plan: the warmest cache, the plan the rules judge. */
        public ExplainedPlan representative() {
            return plans.get(plans.size() - 1);
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
        sets.forEach(s -> s.plans().forEach(p -> out.add(p.serverMs())));
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
            for (ExplainedPlan p : s.plans()) {
                if (p.serverMs() > worstMs) {
                    worstMs = p.serverMs();
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
