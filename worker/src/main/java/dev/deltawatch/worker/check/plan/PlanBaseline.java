package dev.deltawatch.worker.check.plan;

import java.time.Instant;
import java.util.Set;

/**
 * A query's accepted plan: its shape, its p95 and the plan as text (shown beside a regressed plan).
 *
 * @param queryName the audited query
 * @param sqlHash   hash of the SQL; a different SQL text means a new query, not a regression
 * @param shape     {@link PlanShape#of(QueryMeasurement)}
 * @param p95Ms     p95 when the baseline was taken
 * @param planText  the plan of the slowest parameter set, as EXPLAIN prints it
 * @param relations relations the plans read ({@code schema.name}), for "which queries touch this table"
 * @param takenAt   when it was stored
 */
public record PlanBaseline(String queryName, String sqlHash, String shape, double p95Ms, String planText,
                           Set<String> relations, Instant takenAt) {

    public PlanBaseline {
        relations = Set.copyOf(relations);
    }
}
