package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Severity;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The query's p95 (server planning + execution time over all measured runs) above its budget: HIGH. */
public final class LatencyBudgetRule implements PlanRule {
    public static final String NAME = "latency-budget";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> judge(QueryMeasurement measured, RuleContext context) {
        double p95 = measured.p95Ms();
        long budget = measured.query().budgetMs();
        if (p95 <= budget || measured.sets().isEmpty()) {
            return List.of();
        }
        QueryMeasurement.ParamSetRuns slowest = measured.slowestSet();
        PlanNode root = slowest.representative().root();
        String samples = measured.samplesMs().stream().map(ms -> String.format(Locale.ROOT, "%.2f", ms))
                .collect(Collectors.joining(", "));
        return List.of(new Violation(NAME, Severity.HIGH, String.format(Locale.ROOT,
                "p95 %.1f ms over its %d ms budget", p95, budget),
                String.format(Locale.ROOT, "Over %d measured runs the p95 of planning + execution time is %.1f ms; "
                        + "the budget is %d ms.", measured.samplesMs().size(), p95, budget),
                "Make the plan cheaper: see the plan for the slowest node (and the other plan findings of this query "
                        + "for an index or statistics fix), or return fewer rows per call.",
                String.format(Locale.ROOT, "p95 at or under %d ms", budget), slowest, root,
                List.of(Evidence.text("runs (ms, planning + execution)", samples)), null));
    }
}
