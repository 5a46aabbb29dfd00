package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.SqlIdentifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code pg_stat_statements} half of the unbounded-results check: top-level read statements of this
 * database returning more than {@code maxRowsPerCall} rows per call. The extension is created only when the
 * settings allow it (it changes the target); otherwise, or when the library is not preloaded, a LOW finding says
 * the source is unavailable, so silence is never mistaken for health.
 */
final class StatementStats {
    static final String RULE = "unbounded-statement";
    static final String UNAVAILABLE = "pg-stat-statements-unavailable";
    private static final int MAX_FINDINGS = 20;
    private static final int MAX_TEXT = 2000;

    private final Check check;
    private final HygieneSettings settings;

    StatementStats(Check check, HygieneSettings settings) {
        this.check = check;
        this.settings = settings;
    }

    List<CheckResult> run(CheckContext context) throws SQLException {
        Subject source = new Subject("extension", "pg_stat_statements");
        String schema = extensionSchema(context);
        if (schema == null && settings.createPgStatStatements()) {
            try (Connection c = context.connect(false); java.sql.Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                c.commit();
            } catch (SQLException e) {
                return List.of(unavailable(context, source, "CREATE EXTENSION failed: " + e.getMessage()));
            }
            schema = extensionSchema(context);
        }
        if (schema == null) {
            return List.of(unavailable(context, source, "the extension is not installed in this database and "
                    + "deltawatch.check.hygiene.unbounded.create-extension is false"));
        }
        List<Row> heavy;
        try (Connection c = context.connect(true)) {
            heavy = Row.query(c, "SELECT s.queryid::text AS id, s.query, s.calls, s.rows, "
                    + "s.rows::float8 / s.calls AS per_call FROM " + SqlIdentifiers.quote(schema)
                    + ".pg_stat_statements s WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = "
                    + "current_database()) AND s.toplevel AND s.calls > 0 AND s.rows::float8 / s.calls > ? "
                    + "AND (s.query ~* '^\\s*(select|table|values)\\M' OR (s.query ~* '^\\s*with\\M' "
                    + "AND s.query !~* '\\m(insert|update|delete|merge)\\M')) "
                    + "ORDER BY per_call DESC LIMIT " + MAX_FINDINGS, settings.maxRowsPerCall());
            c.commit();
        } catch (SQLException e) {
            if ("55000".equals(e.getSQLState())) {
                return List.of(unavailable(context, source, e.getMessage()));
            }
            throw e;
        }
        List<CheckResult> results = new ArrayList<>();
        results.add(CheckResult.pass(UNAVAILABLE, source));
        for (Row r : heavy) {
            results.add(CheckResult.fail(finding(context, r)));
        }
        return results;
    }

    private dev.deltawatch.contracts.Finding finding(CheckContext context, Row r) {
        String text = r.str("query");
        boolean cut = text.length() > MAX_TEXT;
        String figures = String.format(Locale.ROOT, "calls = %d, rows = %d, rows per call = %.0f (threshold %.0f)",
                r.lng("calls"), r.lng("rows"), r.dbl("per_call"), settings.maxRowsPerCall());
        return context.finding(check, RULE, Severity.MEDIUM, new Subject("statement", "queryid:" + r.str("id")))
                .title(String.format(Locale.ROOT, "Statement returns %.0f rows per call on average", r.dbl("per_call")))
                .problem("A read statement the application runs returns large, unbounded result sets: memory, "
                        + "transfer and latency grow with the table.")
                .evidence("pg_stat_statements", "text", figures)
                .evidence(new dev.deltawatch.contracts.Evidence("statement", "sql",
                        cut ? text.substring(0, MAX_TEXT) : text, cut))
                .fix("Page it (ORDER BY <key> LIMIT n with keyset pagination) or aggregate in SQL; find the caller "
                        + "by the statement text.")
                .build();
    }

    private CheckResult unavailable(CheckContext context, Subject source, String why) {
        return CheckResult.fail(context.finding(check, UNAVAILABLE, Severity.LOW, source)
                .title("pg_stat_statements is unavailable: unbounded statements are not checked")
                .problem("Only the registered queries were checked for unbounded result sets: " + why + ".")
                .evidence("reason", "text", why)
                .fix("Add pg_stat_statements to shared_preload_libraries (restart), then CREATE EXTENSION "
                        + "pg_stat_statements; in the target database (or allow deltawatch to create it).")
                .build());
    }

    private static String extensionSchema(CheckContext context) throws SQLException {
        try (Connection c = context.connect(true)) {
            List<Row> rows = Row.query(c, "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                    + "ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'");
            c.commit();
            return rows.isEmpty() ? null : rows.get(0).str("nspname");
        }
    }
}
