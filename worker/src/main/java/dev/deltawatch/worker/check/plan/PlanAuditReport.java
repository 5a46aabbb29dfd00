package dev.deltawatch.worker.check.plan;

import dev.deltawatch.worker.check.CheckResult;
import java.util.List;

/**
 * Everything one audit produced: the check results (findings and passes), what was measured, and notes on what
 * was not audited and why (a heavy statement without parameters, no {@code pg_stat_statements}, a baseline
 * store that could not be written).
 *
 * @param wallMs wall time of the whole audit
 */
public record PlanAuditReport(List<CheckResult> results, List<QueryMeasurement> measurements, List<String> notes,
                              double wallMs) {

    public PlanAuditReport {
        results = List.copyOf(results);
        measurements = List.copyOf(measurements);
        notes = List.copyOf(notes);
    }

    /** Time inside the JDBC EXPLAIN calls (statement sent to last byte received), summed. */
    public double jdbcMs() {
        return measurements.stream().mapToDouble(QueryMeasurement::jdbcMs).sum();
    }

    /** Planning + execution time the server reported, summed over every run. */
    public double serverMs() {
        return measurements.stream().mapToDouble(QueryMeasurement::serverMs).sum();
    }

    public List<CheckResult> failures() {
        return results.stream().filter(CheckResult::failed).toList();
    }
}
