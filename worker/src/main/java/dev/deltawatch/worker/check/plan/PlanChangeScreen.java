package dev.deltawatch.worker.check.plan;

import dev.deltawatch.worker.check.CheckContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which audited queries plan differently than at their baseline, found by a plain {@code EXPLAIN} of each query's
 * first parameter set: planning only, a millisecond or two a query, where the audit's {@code EXPLAIN ANALYZE} of
 * a query that lost its index reads the whole table, twice. Only an order: the audit itself judges every query.
 * Runs in one READ ONLY transaction with the context's timeouts (plain EXPLAIN of a write executes nothing).
 */
final class PlanChangeScreen {
    private static final String FIRST_SET = "# parameter set 1\n";
    private static final String NEXT_SET = "\n# parameter set ";

    private PlanChangeScreen() {}

    /**
     * {@code queries} with those to audit first at the front: a plan that differs from its baseline's first set, no
     * baseline, or a query that no longer plans (its run will say why). The others keep their order behind them.
     */
    static List<AuditQuery> changedFirst(CheckContext context, List<AuditQuery> queries,
                                         Map<String, PlanBaseline> baselines) throws SQLException {
        List<AuditQuery> first = new ArrayList<>();
        List<AuditQuery> rest = new ArrayList<>();
        try (Connection c = context.connect(true)) {
            for (AuditQuery q : queries) {
                (changed(context, c, q, baselines.get(q.name())) ? first : rest).add(q);
            }
            c.rollback();
        }
        first.addAll(rest);
        return first;
    }

    private static boolean changed(CheckContext context, Connection c, AuditQuery q, PlanBaseline baseline)
            throws SQLException {
        if (baseline == null) {
            return true;
        }
        if (q.params().isEmpty() && !q.drawFrom().isEmpty()) {
            return false; // its only set is drawn from the data when the audit runs: nothing to plan with here
        }
        try {
            ParameterizedSql sql = ParameterizedSql.of(q.sql());
            List<Object> values = sql.bind(q.params().isEmpty() ? List.of() : q.params().get(0));
            return !firstSetShape(baseline.shape()).equals(PlanShape.of(ExplainRunner.planOnly(c, sql.jdbcSql(), values).root()));
        } catch (IllegalArgumentException e) {
            return true;
        } catch (SQLException e) {
            // The failed statement aborted the transaction: start a new one for the next query.
            c.rollback();
            context.applyTimeouts(c);
            return true;
        }
    }

    /** The plan shape of a baseline's first parameter set ({@link PlanShape#of(QueryMeasurement)} joins them). */
    static String firstSetShape(String baselineShape) {
        String s = baselineShape.startsWith(FIRST_SET) ? baselineShape.substring(FIRST_SET.length()) : baselineShape;
        int next = s.indexOf(NEXT_SET);
        return next < 0 ? s : s.substring(0, next);
    }
}
