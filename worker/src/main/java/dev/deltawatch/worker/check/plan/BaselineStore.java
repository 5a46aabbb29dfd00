package dev.deltawatch.worker.check.plan;

import dev.deltawatch.worker.check.CheckContext;
import java.sql.SQLException;
import java.util.Map;

/**
 * Where plan baselines live between audits, keyed by target and query name. Implementations must be safe for one
 * audit at a time per target; {@link #save} replaces the previous baseline of the query.
 */
public interface BaselineStore {

    /** All baselines of the context's target, by query name. */
    Map<String, PlanBaseline> load(CheckContext context) throws SQLException;

    void save(CheckContext context, PlanBaseline baseline) throws SQLException;
}
