package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code plan.audit}: EXPLAIN ANALYZE of the registered queries, the built-in budget probes and the heaviest
 * {@code pg_stat_statements} entries, judged by the plan rules and against their baselines.
 *
 * <p>Scopes: {@code ALL} audits everything. {@code OBJECTS} takes query names (registered or probe) and table
 * names ({@code pfa_records} or {@code public.pfa_records}); a table selects the queries whose baseline plans read
 * it, plus any query without a baseline yet. A run in which a query was cancelled by a statement timeout shorter
 * than its budget fails (an ERROR run naming it): that budget was not measured. {@link #auditQueriesTouching} is the router's entry point after DDL on
 * a table. Not thread-safe: one run at a time per instance.
 */
public final class PlanAuditCheck implements Check {
    public static final String NAME = "plan.audit";
    public static final String UNAUDITED_STATEMENT = "heavy-statement-unaudited";

    private final PlanAuditor auditor;
    private PlanAuditReport lastReport;

    public PlanAuditCheck(PlanAuditSettings settings, BaselineStore baselines) {
        this.auditor = new PlanAuditor(settings, baselines);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String family() {
        return "plan";
    }

    @Override
    public boolean appliesTo(CheckScope scope) {
        return scope.kind() == CheckScope.Kind.ALL || scope.kind() == CheckScope.Kind.OBJECTS;
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws SQLException {
        PlanAuditReport report = scope.kind() == CheckScope.Kind.OBJECTS ? auditObjects(context, scope.ids())
                : auditAll(context);
        List<String> unmeasured = report.results().stream().filter(r -> r.skipped() != null
                && r.skipped().startsWith(PlanAuditor.NOT_MEASURED)).map(r -> r.subject().name() + " " + r.skipped())
                .toList();
        if (!unmeasured.isEmpty()) {
            // An unanswered budget question makes the run incomplete (ERROR), not a pass and not a finding.
            throw new SQLException("latency budget not judged: " + String.join("; ", unmeasured)
                    + "; a statement timeout at least as long as the budget lets the audit judge it", "57014");
        }
        return report.results();
    }

    /** The report of the last audit (measurements, notes), for commands and benchmarks. */
    public PlanAuditReport lastReport() {
        return lastReport;
    }

    /** Everything: registered queries, probes, and the heaviest statements. */
    public PlanAuditReport auditAll(CheckContext context) throws SQLException {
        List<String> notes = new ArrayList<>();
        Map<String, AuditQuery> queries = candidates(context);
        List<CheckResult> unaudited = heavyStatements(context, queries, notes);
        PlanAuditReport report = auditor.audit(context, this, List.copyOf(queries.values()), notes);
        List<CheckResult> results = new ArrayList<>(report.results());
        results.addAll(unaudited);
        return remember(new PlanAuditReport(results, report.measurements(), report.notes(), report.wallMs()));
    }

    /** The router's entry point after a schema change on {@code tables}: re-audit the queries that read them. */
    public PlanAuditReport auditQueriesTouching(CheckContext context, Collection<String> tables) throws SQLException {
        return remember(auditor.audit(context, this, touching(context, candidates(context), tables,
                auditor.baselines().load(context)), List.of()));
    }

    /** Explicit objects: query names are audited as such; any other id is taken as a table name. */
    public PlanAuditReport auditObjects(CheckContext context, List<String> ids) throws SQLException {
        return remember(auditor.audit(context, this, selected(context, ids), List.of()));
    }

    /**
     * An OBJECTS scope as one run per query, those whose plan changed since their baseline first
     * ({@link PlanChangeScreen}: planning only, milliseconds): after an index drop the query that lost it is
     * measured and reported first, instead of after every other query on the table has run twice.
     */
    @Override
    public List<CheckScope> parts(CheckContext context, CheckScope scope) throws SQLException {
        if (scope.kind() != CheckScope.Kind.OBJECTS) {
            return List.of(scope);
        }
        List<AuditQuery> queries = selected(context, scope.ids());
        if (queries.size() < 2) {
            return List.of(scope);
        }
        return PlanChangeScreen.changedFirst(context, queries, auditor.baselines().load(context)).stream()
                .map(q -> CheckScope.objects(List.of(q.name()))).toList();
    }

    /** The queries {@code ids} name, then those reading the tables among them, each once. */
    private List<AuditQuery> selected(CheckContext context, List<String> ids) throws SQLException {
        Map<String, AuditQuery> all = candidates(context);
        List<String> tables = ids.stream().filter(id -> !all.containsKey(id)).toList();
        Map<String, AuditQuery> out = new LinkedHashMap<>();
        if (!tables.isEmpty()) {
            touching(context, all, tables, auditor.baselines().load(context)).forEach(q -> out.put(q.name(), q));
        }
        ids.stream().filter(all::containsKey).forEach(id -> out.putIfAbsent(id, all.get(id)));
        return List.copyOf(out.values());
    }

    /** The queries whose baseline plans read one of {@code tables}, and those without a baseline yet. */
    private static List<AuditQuery> touching(CheckContext context, Map<String, AuditQuery> all,
                                             Collection<String> tables, Map<String, PlanBaseline> stored) {
        List<AuditQuery> out = new ArrayList<>();
        for (AuditQuery q : all.values()) {
            PlanBaseline b = stored.get(q.name());
            if (b == null || tables.stream().anyMatch(t -> reads(b, t, context.target().config().schema()))) {
                out.add(q);
            }
        }
        return out;
    }

    private Map<String, AuditQuery> candidates(CheckContext context) throws SQLException {
        Map<String, AuditQuery> out = new LinkedHashMap<>();
        context.target().config().queries().forEach(q -> out.put(q.name(), AuditQuery.registered(q)));
        if (auditor.settings().budgetProbes()) {
            BudgetProbes.of(context, auditor.settings().fullScanProbe()).forEach(q -> out.put(q.name(), q));
        }
        return out;
    }

    /**
     * Matches the heaviest statements to registered queries (already among {@code queries}); each one that matches
     * none cannot be run without parameters and becomes a LOW finding asking for it to be registered.
     */
    private List<CheckResult> heavyStatements(CheckContext context, Map<String, AuditQuery> queries, List<String> notes)
            throws SQLException {
        int limit = auditor.settings().heaviestStatements();
        List<HeavyStatements.Statement> top = limit == 0 ? List.of() : HeavyStatements.top(context, limit);
        if (top == null) {
            notes.add("pg_stat_statements is not installed in this database: heaviest statements not audited");
            return List.of();
        }
        List<CheckResult> out = new ArrayList<>();
        for (HeavyStatements.Statement s : top) {
            String key = Predicates.statementKey(s.query());
            boolean registered = queries.values().stream().anyMatch(q -> Predicates.statementKey(q.sql()).equals(key));
            Subject subject = new Subject("statement", Long.toString(s.queryId()));
            if (registered) {
                out.add(CheckResult.pass(UNAUDITED_STATEMENT, subject));
                continue;
            }
            notes.add("heavy statement " + s.queryId() + " skipped: no registered query with its text, so no parameters");
            out.add(CheckResult.fail(context.finding(this, UNAUDITED_STATEMENT, Severity.LOW, subject)
                    .title(String.format(Locale.ROOT, "Heavy statement not audited (%.0f ms total over %d calls)",
                            s.totalMs(), s.calls()))
                    .problem("One of the heaviest statements on the watched tables is not a registered query, so the "
                            + "audit has no parameters to EXPLAIN ANALYZE it with; it was skipped.")
                    .fix("Register it under queries: in the target config with its SQL and one or more sample "
                            + "parameter sets.")
                    .evidence(Evidence.of("pg_stat_statements", "sql", s.query()))
                    .build()));
        }
        return out;
    }

    private static boolean reads(PlanBaseline b, String table, String defaultSchema) {
        String qualified = table.contains(".") ? table : defaultSchema + "." + table;
        return b.relations().contains(qualified);
    }

    private PlanAuditReport remember(PlanAuditReport report) {
        lastReport = report;
        return report;
    }
}
