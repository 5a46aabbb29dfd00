package dev.deltawatch.worker.check.plan;

import java.util.List;

/**
 * One EXPLAIN ANALYZE run: the plan tree and the server-reported timings.
 *
 * @param root        the top plan node
 * @param planningMs  "Planning Time"
 * @param executionMs "Execution Time"
 */
public record ExplainedPlan(PlanNode root, double planningMs, double executionMs) {

    /** Time the server spent planning and executing this statement. */
    public double serverMs() {
        return planningMs + executionMs;
    }

    public List<PlanNode> nodes() {
        return root.flatten();
    }
}
