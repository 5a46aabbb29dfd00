package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery.Kind;
import java.util.List;
import java.util.Objects;

/**
 * A statement the plan audit explains: a registered query, a built-in budget probe, or a heavy statement from
 * {@code pg_stat_statements} that matched a registered one.
 *
 * @param name              the registered name (findings use it as their subject)
 * @param sql               SQL with {@code $n} parameters
 * @param params            one or more parameter sets, each in {@code $n} order; one empty set when it takes none
 * @param budgetMs          p95 latency budget
 * @param kind              read (READ ONLY transaction) or write (rolled back)
 * @param runs              measured runs per parameter set; 0 means the audit's default
 * @param fullScanExpected  true for the full-scan probe, whose sequential scan is the point, not a finding
 * @param drawFrom          per {@code $n}, the {@code table.column} whose most common value fills one more parameter
 *                          set at audit time ({@link CommonValues}); empty for none
 */
public record AuditQuery(String name, String sql, List<List<Object>> params, long budgetMs, Kind kind, int runs,
                         boolean fullScanExpected, List<String> drawFrom) {

    public AuditQuery {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sql, "sql");
        params = params == null || params.isEmpty() ? List.of(List.of()) : List.copyOf(params);
        kind = kind == null ? Kind.READ : kind;
        drawFrom = drawFrom == null ? List.of() : drawFrom;
    }

    public AuditQuery(String name, String sql, List<List<Object>> params, long budgetMs, Kind kind, int runs,
                      boolean fullScanExpected) {
        this(name, sql, params, budgetMs, kind, runs, fullScanExpected, List.of());
    }

    public static AuditQuery registered(RegisteredQuery q) {
        return new AuditQuery(q.name(), q.sql(), q.params(), q.budgetMs(), q.kind(), 0, false, q.drawFrom());
    }

    public boolean isWrite() {
        return kind == Kind.WRITE;
    }
}
