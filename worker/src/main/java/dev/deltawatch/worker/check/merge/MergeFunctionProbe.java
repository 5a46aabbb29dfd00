package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.worker.check.MergeCall;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Evaluates the target's merge function on many (mirror, delta) pairs in one statement: the pairs travel as two
 * bound {@code text[]} parameters and are unnested with their ordinality, so nothing is concatenated into SQL
 * and a battery of thousands of pairs costs a handful of round trips. Runs inside the caller's (read-only)
 * transaction; a failing statement is rolled back to a savepoint and the chunk is retried pair by pair, so one
 * input the function raises on is reported as that pair's error instead of failing the whole battery.
 */
final class MergeFunctionProbe {
    /** A pair to merge; a Java {@code null} document is SQL NULL. */
    record Pair(JsonNode mirror, JsonNode delta) {}

    /**
     * What the database returned for one pair.
     *
     * @param merged     {@code merge(m, d)} as text, null for SQL NULL
     * @param emptyDelta {@code merge(m, '{}')} (only with invariants)
     * @param reapplied  {@code merge(merge(m, d), d)} (only with invariants)
     * @param error      the SQLSTATE and message when the function raised for this pair; null otherwise
     */
    record Result(String merged, String emptyDelta, String reapplied, String error) {}

    static final int CHUNK = 500;

    private final MergeCall merge;

    MergeFunctionProbe(MergeCall merge) {
        this.merge = merge;
    }

    List<Result> evaluate(Connection c, List<Pair> pairs, boolean invariants) throws SQLException {
        return evaluate(c, pairs, invariants, Set.of());
    }

    /**
     * As {@link #evaluate(Connection, List, boolean)}, but a statement failing with one of {@code fatalStates} is
     * thrown instead of retried pair by pair: after a statement timeout, retrying each pair would wait out the
     * timeout once per pair.
     */
    List<Result> evaluate(Connection c, List<Pair> pairs, boolean invariants, Set<String> fatalStates)
            throws SQLException {
        List<Result> out = new ArrayList<>(pairs.size());
        for (int from = 0; from < pairs.size(); from += CHUNK) {
            List<Pair> chunk = pairs.subList(from, Math.min(pairs.size(), from + CHUNK));
            Savepoint sp = c.setSavepoint();
            try {
                out.addAll(run(c, chunk, invariants));
                c.releaseSavepoint(sp);
            } catch (SQLException e) {
                c.rollback(sp);
                if (fatal(e, fatalStates)) {
                    throw e;
                }
                for (Pair p : chunk) {
                    out.add(single(c, p, invariants, fatalStates));
                }
            }
        }
        return out;
    }

    /** Set.of() rejects a null lookup, and a driver-side exception may carry no SQLSTATE. */
    private static boolean fatal(SQLException e, Set<String> fatalStates) {
        return e.getSQLState() != null && fatalStates.contains(e.getSQLState());
    }

    private Result single(Connection c, Pair pair, boolean invariants, Set<String> fatalStates) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try {
            Result r = run(c, List.of(pair), invariants).get(0);
            c.releaseSavepoint(sp);
            return r;
        } catch (SQLException e) {
            c.rollback(sp);
            if (fatal(e, fatalStates)) {
                throw e;
            }
            return new Result(null, null, null, e.getSQLState() + ": " + firstLine(e.getMessage()));
        }
    }

    private List<Result> run(Connection c, List<Pair> pairs, boolean invariants) throws SQLException {
        String sql = invariants
                ? "SELECT r.merged::text, " + merge.sql("x.m::jsonb", "'{}'::jsonb") + "::text, "
                + merge.sql("r.merged", "x.d::jsonb") + "::text FROM unnest(CAST(? AS text[]), CAST(? AS text[])) "
                + "WITH ORDINALITY AS x(m, d, ord) CROSS JOIN LATERAL (SELECT " + merge.sql("x.m::jsonb", "x.d::jsonb")
                + " AS merged) r ORDER BY x.ord"
                : "SELECT " + merge.sql("x.m::jsonb", "x.d::jsonb") + "::text FROM unnest(CAST(? AS text[]), "
                + "CAST(? AS text[])) WITH ORDINALITY AS x(m, d, ord) ORDER BY x.ord";
        String[] mirrors = new String[pairs.size()];
        String[] deltas = new String[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            mirrors[i] = text(pairs.get(i).mirror());
            deltas[i] = text(pairs.get(i).delta());
        }
        List<Result> out = new ArrayList<>(pairs.size());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", mirrors));
            ps.setArray(2, c.createArrayOf("text", deltas));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(invariants ? new Result(rs.getString(1), rs.getString(2), rs.getString(3), null)
                            : new Result(rs.getString(1), null, null, null));
                }
            }
        }
        return out;
    }

    /** Runs the function on raw JSON text the way a client would send it, for inputs jsonb itself rejects. */
    String evaluateRaw(Connection c, String mirrorText, String deltaText) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + merge.sql("x.m", "x.d") + "::text FROM (SELECT CAST(? AS text)::jsonb AS m, "
                        + "CAST(? AS text)::jsonb AS d) x")) {
            ps.setString(1, mirrorText);
            ps.setString(2, deltaText);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String text(JsonNode node) {
        return node == null ? null : node.toString();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
