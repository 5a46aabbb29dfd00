package dev.deltawatch.worker.check.plan;

import dev.deltawatch.worker.check.CheckContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --verify-fixes}: builds a suggested index inside a transaction (a plain CREATE INDEX: CONCURRENTLY cannot
 * run in one), runs the query's EXPLAIN ANALYZE again with it, and rolls everything back, so the finding can say
 * "1250.0 ms → 0.8 ms, measured". Refused above a table size, because the build holds a SHARE lock that blocks
 * every write to the table until the transaction ends.
 */
final class FixVerifier {
    /** The measured outcome, or a refusal; {@code after} is the plan with the index ({@code null} if not run). */
    record Verification(String summary, ExplainedPlan after) {}

    private final CheckContext context;
    private final PlanAuditSettings settings;

    FixVerifier(CheckContext context, PlanAuditSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    Verification verify(QueryMeasurement measured, Violation v) {
        IndexSuggestion index = v.index();
        if (index == null || v.set() == null) {
            return null;
        }
        long bytes = index.relation().totalBytes();
        if (bytes > settings.verifyFixesMaxTableBytes()) {
            return new Verification(String.format(Locale.ROOT, "%s (not verified: %s is %d MB, above "
                    + "%sverify.fixes.max.table.bytes = %d MB; a plain CREATE INDEX would block all writes to it for "
                    + "the whole build)", v.expectedImprovement(), index.relation().qualified(), bytes >> 20,
                    PlanAuditSettings.PREFIX, settings.verifyFixesMaxTableBytes() >> 20), null);
        }
        double before = QueryMeasurement.percentile(v.set().samplesMs(), 0.95);
        try (Connection c = context.connect(false)) {
            try (Statement s = c.createStatement()) {
                s.execute(index.createForVerification("deltawatch_verify_" + Integer.toHexString(index.hashCode() & 0xfffffff)));
                ParameterizedSql sql = ParameterizedSql.of(measured.query().sql());
                List<Object> values = sql.bind(v.set().params());
                ExplainRunner runner = new ExplainRunner(context, settings);
                List<Double> after = new ArrayList<>();
                ExplainedPlan last = null;
                for (int r = 0; r < settings.warmups() + settings.runs(); r++) {
                    // A savepoint per run, so a write query's changes vanish while the index stays.
                    Savepoint sp = c.setSavepoint();
                    last = runner.explain(c, sql.jdbcSql(), values, new double[1]);
                    c.rollback(sp);
                    if (r >= settings.warmups()) {
                        after.add(last.serverMs());
                    }
                }
                double p95 = QueryMeasurement.percentile(after, 0.95);
                return new Verification(String.format(Locale.ROOT, "%.1f ms → %.1f ms, measured (p95 of %d runs each, "
                        + "the index built and rolled back in one transaction)", before, p95, after.size()), last);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            return new Verification(v.expectedImprovement() + " (not verified: " + ExplainRunner.oneLine(e) + ")", null);
        }
    }
}
