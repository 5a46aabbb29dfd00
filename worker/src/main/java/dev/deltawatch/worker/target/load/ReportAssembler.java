package dev.deltawatch.worker.target.load;

import dev.deltawatch.contracts.TargetConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/** Turns the recorders, counters and samples of a finished run into a {@link LoadReport}. */
final class ReportAssembler {
    private static final double[] PERCENTILES = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 97.5, 99, 99.5,
        99.9, 99.95, 99.99, 100};

    private ReportAssembler() {}

    static LoadReport assemble(LoadOptions options, TargetConfig config, String startedAt, double duration, int users,
                               int poolSize, Workload workload, ErrorCounts errors,
                               ResourceSampler.Resources resources, List<String> notes) {
        List<LoadReport.Operation> ops = new ArrayList<>();
        long total = 0;
        for (OperationStats s : workload.stats().values()) {
            Histogram h = s.total();
            total += h.getTotalCount();
            ops.add(new LoadReport.Operation(s.name(), h.getTotalCount(), round(h.getTotalCount() / duration),
                    OperationStats.ms(h, 50), OperationStats.ms(h, 95), OperationStats.ms(h, 99),
                    h.getMaxValue() / 1e3, round(h.getMean() / 1e3), budget(config, s.name()), distribution(h),
                    s.timeline()));
        }
        if (resources.dbUnavailable() != null) {
            notes.add("database server CPU/memory unavailable: " + resources.dbUnavailable());
        }
        LoadReport draft = new LoadReport(options.scenario().cliName(), config.name(), startedAt, round(duration),
                users, poolSize, round(total / duration), ops, errors.snapshot(), errors.conflicts(),
                errors.failures(), resources, List.of(), List.copyOf(notes));
        return new LoadReport(draft.scenario(), draft.target(), draft.startedAt(), draft.durationS(), draft.users(),
                draft.poolSize(), draft.throughputPerS(), draft.operations(), draft.errors(),
                draft.versionConflicts(), draft.failures(), draft.resources(), PerfBudgets.findings(draft),
                draft.notes());
    }

    /** The registered query's budget; the delta write answers to the registered write query's budget. */
    static Long budget(TargetConfig config, String op) {
        return config.queries().stream()
                .filter(q -> q.name().equals(op) || (op.equals(Workload.WRITE_OP)
                        && q.kind() == TargetConfig.RegisteredQuery.Kind.WRITE))
                .map(TargetConfig.RegisteredQuery::budgetMs).filter(Objects::nonNull).filter(b -> b > 0)
                .findFirst().orElse(null);
    }

    private static List<double[]> distribution(Histogram h) {
        List<double[]> out = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return out;
        }
        for (double p : PERCENTILES) {
            out.add(new double[] {p, h.getValueAtPercentile(p) / 1e3});
        }
        return out;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

}
