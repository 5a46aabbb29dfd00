package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.TargetConfig.RegisteredQuery.Kind;
import dev.deltawatch.worker.check.CheckContext;
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
        for (ResolvedTarget.Table t : context.target().tables()) {
            String[] keys = keyRange(context, t);
            if (keys == null) {
                continue;
            }
            String merged = context.target().mergeFunction() + "(" + t.mirror() + ", " + t.delta() + ") AS merged";
            String select = "SELECT " + t.key() + ", " + merged + " FROM " + t.qualifiedName();
            String name = PREFIX + t.config().name() + ":";
            out.add(new AuditQuery(name + "single-record-merge", select + " WHERE " + t.key() + " = $1",
                    List.of(List.of(keys[0]), List.of(keys[1])), 10, Kind.READ, 0, false));
            out.add(new AuditQuery(name + "batch-merge-100", select + " WHERE " + t.key() + " >= $1 ORDER BY "
                    + t.key() + " LIMIT 100", List.of(List.of(keys[0])), 100, Kind.READ, 0, false));
            out.add(new AuditQuery(name + "batch-merge-1000", select + " WHERE " + t.key() + " >= $1 ORDER BY "
                    + t.key() + " LIMIT 1000", List.of(List.of(keys[0])), 1000, Kind.READ, 0, false));
            if (fullScan) {
                out.add(new AuditQuery(name + "full-scan", select, List.of(), 30_000, Kind.READ, 1, true));
            }
        }
        return out;
    }

    private static String[] keyRange(CheckContext context, ResolvedTarget.Table t) throws SQLException {
        try (Connection c = context.connect(true);
             PreparedStatement ps = c.prepareStatement("SELECT min(" + t.key() + ")::text, max(" + t.key()
                     + ")::text FROM " + t.qualifiedName());
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            String[] keys = rs.getString(1) == null ? null : new String[] {rs.getString(1), rs.getString(2)};
            c.rollback();
            return keys;
        }
    }
}
