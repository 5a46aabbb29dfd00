package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.TargetConfig.RegisteredQuery.Kind;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.Documents;
import dev.deltawatch.worker.check.ResolvedTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The methodology's budgets as built-in probe queries on every watched table, written from the resolved target's
 * quoted names: a single-record merge (p95 &lt; 10 ms), 100- and 1000-record batch merges (&lt; 100 ms, &lt; 1 s)
 * reading records in key order, and a full scan merging every record (&lt; 30 s; measured once, and its
 * sequential scan is the point, not a finding). Parameters are real keys: the table's lowest and highest.
 */
public final class BudgetProbes {
    public static final String PREFIX = "probe:";

    private BudgetProbes() {}

    /** The probes for all watched tables; a table without rows gets none (there is nothing to merge). */
    public static List<AuditQuery> of(CheckContext context, boolean fullScan) throws SQLException {
        List<AuditQuery> out = new ArrayList<>();
        ResolvedTarget.Table t = context.target().primaryTable();
        String[] keys = keyRange(context, t);
        if (keys == null) {
            return out;
        }
        Documents docs = context.target().documents();
        String key = docs.key();
        String name = PREFIX + t.name() + ":";
        out.add(new AuditQuery(name + "single-record-merge", select(docs, "WHERE " + key + " = $1"),
                List.of(List.of(keys[0]), List.of(keys[1])), 10, Kind.READ, 0, false));
        out.add(new AuditQuery(name + "batch-merge-100", select(docs, "WHERE " + key + " >= $1 ORDER BY " + key
                + " LIMIT 100"), List.of(List.of(keys[0])), 100, Kind.READ, 0, false));
        out.add(new AuditQuery(name + "batch-merge-1000", select(docs, "WHERE " + key + " >= $1 ORDER BY " + key
                + " LIMIT 1000"), List.of(List.of(keys[0])), 1000, Kind.READ, 0, false));
        if (fullScan) {
            out.add(new AuditQuery(name + "full-scan", select(docs, ""), List.of(), 30_000, Kind.READ, 1, true));
        }
        return out;
    }

    /** The merged documents of the records {@code filter} (on the mirror's alias {@code t}) admits. */
    private static String select(Documents docs, String filter) {
        return "SELECT a.rec_key, " + docs.merged("a") + " AS merged FROM (" + docs.rows(filter, false) + ") a";
    }

    /**
     * The smallest and largest key as text, by the key's own order (no min(), which uuid lacks); null when empty. The
     * ORDER BY names the column through its table: bare, it would name the output column ({@code key::text}) and
     * sort every key as text, a full scan and sort of the table (a quarter second at a million records) on every
     * plan audit, and for a number key the wrong ends.
     */
    private static String[] keyRange(CheckContext context, ResolvedTarget.Table t) throws SQLException {
        try (Connection c = context.connect(true);
             PreparedStatement ps = c.prepareStatement("SELECT (SELECT k." + t.key() + "::text FROM " + t.qualifiedName()
                     + " k ORDER BY k." + t.key() + " LIMIT 1), (SELECT k." + t.key() + "::text FROM " + t.qualifiedName()
                     + " k ORDER BY k." + t.key() + " DESC LIMIT 1)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            String[] keys = rs.getString(1) == null ? null : new String[] {rs.getString(1), rs.getString(2)};
            c.rollback();
            return keys;
        }
    }
}
