/**
 * Plan audits: EXPLAIN ANALYZE of the registered queries, the built-in budget probes and the heaviest
 * {@code pg_stat_statements} entries, parsed into a plan tree ({@link dev.deltawatch.worker.check.plan.PlanNode})
 * and judged by one small {@link dev.deltawatch.worker.check.plan.PlanRule} per rule; plan-shape baselines turn a
 * plan change after DDL into a regression finding. Entry point: {@link dev.deltawatch.worker.check.plan.PlanAuditCheck}.
 */
package dev.deltawatch.worker.check.plan;
