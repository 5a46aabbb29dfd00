package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code merge.volatility}: a merge function, or a function a generated column calls, declared IMMUTABLE must not
 * read tables. PostgreSQL believes the
 * declaration: it uses the function in STORED generated columns and indexes and may fold calls at plan time, so
 * an IMMUTABLE function whose result depends on a table's contents leaves stale generated values and index
 * entries behind when that table changes (HIGH).
 *
 * <p>How tables are found: for SQL-standard bodies ({@code BEGIN ATOMIC}), {@code pg_depend} records every
 * relation the body uses; for PL/pgSQL and string bodies it records nothing, so {@code prosrc} is scanned for
 * relation names after {@code FROM}, {@code JOIN}, {@code UPDATE}, {@code INTO} and {@code TABLE}, and each
 * candidate is kept only if it is a relation in {@code pg_class} (so {@code jsonb_each(...)} is not one).
 */
public final class MergeVolatilityCheck implements Check {
    public static final String RULE = "immutable-reads-table";

    private static final Pattern RELATION_REF = Pattern.compile(
            "(?i)\\b(?:from|join|update|into|table)\\s+(?:only\\s+)?((?:\"[^\"]+\"|[a-z_][a-z0-9_$]*)"
                    + "(?:\\s*\\.\\s*(?:\"[^\"]+\"|[a-z_][a-z0-9_$]*))?)");

    @Override
    public String name() {
        return "merge.volatility";
    }

    @Override
    public String family() {
        return "merge";
    }

    @Override
    public boolean appliesTo(CheckScope scope) {
        return scope.kind() == CheckScope.Kind.OBJECTS || scope.kind() == CheckScope.Kind.ALL;
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        String schema = context.target().config().schema();
        String function = context.target().config().merge().function();
        List<CheckResult> out = new ArrayList<>();
        // The merge function (none for ||) and every function a generated column of the layout calls: an IMMUTABLE
        // one that reads a table leaves stored values computed from old table contents either way.
        try (Connection c = context.connect(true); PreparedStatement ps = c.prepareStatement(
                "SELECT p.oid, p.provolatile, p.prosrc, p.prosqlbody IS NOT NULL, "
                        + "pg_get_function_identity_arguments(p.oid), n.nspname || '.' || p.proname FROM pg_proc p "
                        + "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname <> 'pg_catalog' AND ("
                        + "(n.nspname = ? AND p.proname = ?) OR p.oid IN (SELECT d.refobjid FROM pg_attrdef ad "
                        + "JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid "
                        + "AND d.refclassid = 'pg_proc'::regclass JOIN pg_class r ON r.oid = ad.adrelid "
                        + "JOIN pg_namespace rn ON rn.oid = r.relnamespace WHERE rn.nspname = ? "
                        + "AND r.relname = ANY (?))) ORDER BY p.oid")) {
            ps.setString(1, schema);
            ps.setString(2, function);
            ps.setString(3, schema);
            ps.setArray(4, c.createArrayOf("text", context.target().config().tableNames().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Subject subject = new Subject("function", rs.getString(6));
                    if (!"i".equals(rs.getString(2))) {
                        continue;
                    }
                    Set<String> tables = new TreeSet<>(dependedTables(c, rs.getLong(1)));
                    String how = rs.getBoolean(4) ? "pg_depend (SQL-standard body)" : "parsing prosrc";
                    if (!rs.getBoolean(4)) {
                        tables.addAll(referencedRelations(c, rs.getString(3)));
                    }
                    out.add(tables.isEmpty() ? CheckResult.pass(RULE, subject)
                            : CheckResult.fail(finding(context, subject, rs.getString(6), rs.getString(5), tables, how)));
                }
            }
            c.rollback();
        }
        return out;
    }

    private dev.deltawatch.contracts.Finding finding(CheckContext context, Subject subject, String name, String args,
                                                     Set<String> tables, String how) {
        String fn = name + "(" + args + ")";
        return context.finding(this, RULE, Severity.HIGH, subject)
                .title("IMMUTABLE function " + name + " reads " + String.join(", ", tables))
                .problem(fn + " is declared IMMUTABLE but reads " + String.join(", ", tables) + " (found by " + how
                        + "). PostgreSQL trusts the declaration: STORED generated columns and expression indexes "
                        + "keep values computed from old table contents, and the planner may pre-evaluate calls.")
                .evidence("tables read", "text", String.join("\n", tables))
                .evidence("detected by", "text", how)
                .reproductionSql("SELECT p.provolatile, p.prosrc FROM pg_proc p WHERE p.oid = '"
                        + fn.replace("'", "''") + "'::regprocedure;")
                .fix("Remove the table read from " + fn + " (pass the looked-up value as an argument or keep it "
                        + "in the mirror/delta), or declare it STABLE and stop using it in generated columns and "
                        + "indexes: ALTER FUNCTION " + fn + " STABLE;")
                .build();
    }

    /** Relations a SQL-standard body depends on, from pg_depend. */
    private static List<String> dependedTables(Connection c, long oid) throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT d.refobjid::regclass::text FROM pg_depend d "
                + "WHERE d.classid = 'pg_proc'::regclass AND d.objid = ? AND d.refclassid = 'pg_class'::regclass")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Names after FROM/JOIN/... in the body that the catalog knows as tables, views or materialized views. */
    static List<String> referencedRelations(Connection c, String body) throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        if (body == null) {
            return out;
        }
        Matcher m = RELATION_REF.matcher(body);
        while (m.find()) {
            String name = m.group(1).replaceAll("\\s+", "");
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT r.oid::regclass::text FROM pg_class r WHERE r.relkind IN ('r','p','v','m','f') "
                            + "AND r.oid = to_regclass(?)")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }
}
