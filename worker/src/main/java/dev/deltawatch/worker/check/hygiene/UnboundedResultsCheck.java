package dev.deltawatch.worker.check.hygiene;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Unbounded result sets (MEDIUM): a registered read query whose plan has no LIMIT at the top and whose actual
 * rows ({@code EXPLAIN (ANALYZE, FORMAT JSON)}, sample parameters bound, read-only transaction) exceed
 * {@code maxUnboundedRows}; and top-level read statements in {@code pg_stat_statements} returning more than
 * {@code maxRowsPerCall} rows per call on average (see {@link StatementStats}).
 */
public final class UnboundedResultsCheck implements Check {
    public static final String NAME = "hygiene.unbounded-results";
    public static final String QUERY_RULE = "unbounded-result-set";

    private final HygieneSettings settings;

    public UnboundedResultsCheck(HygieneSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String family() {
        return "hygiene";
    }

    /** A schema- or database-wide check: a delta change (RECORDS, SAMPLE) gives it nothing new to look at. */
    @Override
    public boolean appliesTo(CheckScope scope) {
        return scope.kind() == CheckScope.Kind.ALL || scope.kind() == CheckScope.Kind.OBJECTS;
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        List<CheckResult> results = new ArrayList<>();
        for (RegisteredQuery q : context.target().config().queries()) {
            if (q.kind() == RegisteredQuery.Kind.READ && QueryExplainer.explainable(q)
                    && (scope.kind() != CheckScope.Kind.OBJECTS || scope.ids().contains(q.name()))) {
                results.add(registered(context, q));
            }
        }
        results.addAll(new StatementStats(this, settings).run(context));
        return results;
    }

    private CheckResult registered(CheckContext context, RegisteredQuery q) throws Exception {
        Subject subject = new Subject("query", q.name());
        JsonNode plan;
        try (Connection c = context.connect(true)) {
            plan = QueryExplainer.explain(c, q, true);
            c.rollback();
        }
        String top = plan.path("Node Type").asText();
        double rows = plan.path("Actual Rows").asDouble() * Math.max(1, plan.path("Actual Loops").asDouble());
        if ("Limit".equals(top) || rows <= settings.maxUnboundedRows()) {
            return CheckResult.pass(QUERY_RULE, subject);
        }
        String figures = String.format(Locale.ROOT, "top plan node: %s, actual rows: %.0f (threshold %d), "
                + "execution time: %s ms, sample parameters: %s", top, rows, settings.maxUnboundedRows(),
                plan.path("Actual Total Time").asText("?"), q.params().isEmpty() ? "none" : q.params().get(0));
        return CheckResult.fail(context.finding(this, QUERY_RULE, Severity.MEDIUM, subject)
                .title(String.format(Locale.ROOT, "Registered query %s returns %.0f rows with no LIMIT",
                        q.name(), rows))
                .problem("The result set grows with the table: memory in the application and the driver, network "
                        + "transfer and latency all grow with it, and nothing caps them.")
                .evidence("EXPLAIN ANALYZE (top node)", "text", figures)
                .evidence("statement", "sql", q.sql())
                .fix("Page it: add ORDER BY <key> LIMIT <page size> with keyset pagination (WHERE <key> > $last), "
                        + "or aggregate in SQL instead of returning rows.")
                .reproductionSql("EXPLAIN (ANALYZE, FORMAT JSON) " + q.sql())
                .build());
    }
}
