package dev.deltawatch.worker.check.plan;

import java.sql.SQLException;
import java.util.List;

/**
 * One judgement on a measured query: a sequential scan, a blown budget, a misestimate... Implementations are
 * stateless and thread-safe; each is one small class with the severity its rule carries.
 */
public interface PlanRule {

    /** The rule name findings carry, e.g. {@code seq-scan}. */
    String name();

    /**
     * Judges a query that ran (never called for one that failed). Returns violations worst first (the audit
     * reports the first as the finding and mentions the others), or an empty list when the query passes.
     */
    List<Violation> judge(QueryMeasurement measured, RuleContext context) throws SQLException;

    /** What a rule may consult besides the plans. */
    record RuleContext(RelationCatalog catalog, PlanAuditSettings settings) {}
}
