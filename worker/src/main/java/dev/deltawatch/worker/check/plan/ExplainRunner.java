package dev.deltawatch.worker.check.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.worker.check.CheckContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON)} for an audited query: warmups, then the measured
 * runs, for each parameter set. Reads run in a READ ONLY transaction (shared by consecutive reads for up to a
 * second); writes in a transaction of their own kind (shared likewise), rolled back to a savepoint after every run
 * and rolled back whole at the end, so nothing they change survives.
 * Every transaction has the context's {@code statement_timeout} and {@code lock_timeout}. Not thread-safe; close
 * it when the audit ends.
 *
 * <p>Values are bound untyped (as SQL literals without a type are), so the server infers each parameter's type
 * from where it is used, exactly as it would for the application's {@code $n}: {@code id = $1} binds a bigint,
 * {@code $2::jsonb} a jsonb. Structured values (lists, maps) are bound as their JSON text.
 */
public final class ExplainRunner implements AutoCloseable {
    private static final long TRANSACTION_MAX_NANOS = 1_000_000_000L;
    static final String EXPLAIN = "EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON) ";
    private static final String PLAN_ONLY = "EXPLAIN (VERBOSE, FORMAT JSON) ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY_CANCELED = "57014";
    private static final String SAVEPOINT = "deltawatch_audit_run";

    private final CheckContext context;
    private final PlanAuditSettings settings;
    private final Shared reads = new Shared(true);
    private final Shared writes = new Shared(false);

    public ExplainRunner(CheckContext context, PlanAuditSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    public QueryMeasurement measure(AuditQuery query) {
        ParameterizedSql sql;
        try {
            sql = ParameterizedSql.of(query.sql());
        } catch (IllegalArgumentException e) {
            return new QueryMeasurement(query, List.of(), "cannot use the registered SQL: " + e.getMessage(), false, 0, 0);
        }
        List<QueryMeasurement.ParamSetRuns> sets = new ArrayList<>();
        double[] timing = {0, 0};
        Shared transaction = query.isWrite() ? writes : reads;
        try {
            runSets(transaction.get(), transaction.undo, query, sql, sets, timing);
        } catch (SQLException e) {
            transaction.discard();
            boolean timeout = QUERY_CANCELED.equals(e.getSQLState());
            return new QueryMeasurement(query, sets, oneLine(e), timeout, timing[0], timing[1]);
        } catch (IllegalArgumentException e) {
            return new QueryMeasurement(query, sets, e.getMessage(), false, timing[0], timing[1]);
        }
        return new QueryMeasurement(query, sets, null, false, timing[0], timing[1]);
    }

    /** Rolls back and returns the shared transactions' connections. */
    @Override
    public void close() {
        reads.discard();
        writes.discard();
    }

    /**
     * Every run of every parameter set. A write runs under {@code undo}, the savepoint its shared transaction took
     * right after it began (with its timeouts): rolling back to it after each run undoes the write, row locks
     * included, while the transaction, its {@code SET LOCAL} timeouts and the savepoint itself stay in place for
     * the next run (PostgreSQL keeps a savepoint after {@code ROLLBACK TO}). One round trip per run instead of a
     * rollback plus re-arming the timeouts. A query with {@code drawFrom} gets one more set, drawn from the data as
     * it is now ({@link CommonValues}), unless it equals a configured one.
     */
    private void runSets(Connection c, Savepoint undo, AuditQuery query, ParameterizedSql sql,
                         List<QueryMeasurement.ParamSetRuns> sets, double[] timing) throws SQLException {
        for (int i = 0; i < query.params().size(); i++) {
            sets.add(runSet(c, undo, query, sql, i, query.params().get(i), timing));
        }
        if (!query.drawFrom().isEmpty()) {
            List<Object> drawn = CommonValues.draw(c, context.target().config().schema(), query);
            if (drawn != null && query.params().stream().noneMatch(p -> texts(p).equals(texts(drawn)))) {
                sets.add(runSet(c, undo, query, sql, query.params().size(), drawn, timing));
            }
        }
    }

    private static List<String> texts(List<Object> values) {
        return values.stream().map(String::valueOf).toList();
    }

    private QueryMeasurement.ParamSetRuns runSet(Connection c, Savepoint undo, AuditQuery query, ParameterizedSql sql,
                                                 int index, List<Object> params, double[] timing) throws SQLException {
        int runs = query.runs() > 0 ? query.runs() : settings.runs();
        int warmups = query.runs() > 0 ? 0 : settings.warmups();
        List<Object> values = sql.bind(params);
        List<Double> samples = new ArrayList<>(runs);
        ExplainedPlan last = null;
        try (PreparedStatement ps = c.prepareStatement(EXPLAIN + sql.jdbcSql())) {
            for (int r = 0; r < warmups + runs; r++) {
                boolean lastRun = r == warmups + runs - 1;
                if (lastRun) {
                    last = explain(ps, values, timing);
                    samples.add(last.serverMs());
                } else {
                    double serverMs = explainTimings(ps, values, timing);
                    if (r >= warmups) {
                        samples.add(serverMs);
                    }
                }
                if (undo != null) {
                    c.rollback(undo);
                }
            }
        }
        return new QueryMeasurement.ParamSetRuns(index, params, samples, last);
    }

    /**
     * A transaction shared by consecutive queries of one kind, renewed once it is older than
     * {@link #TRANSACTION_MAX_NANOS}: round trips fewer per query (timeouts, rollback, savepoint), while no snapshot
     * is held for long. Reads share a READ ONLY one; writes share one with a savepoint that every run is rolled
     * back to, so between runs (and queries) the write transaction holds no row or table lock of what it ran.
     */
    private final class Shared {
        private final boolean readOnly;
        private Connection connection;
        private Savepoint undo;
        private long startedNanos;

        Shared(boolean readOnly) {
            this.readOnly = readOnly;
        }

        Connection get() throws SQLException {
            if (connection != null && System.nanoTime() - startedNanos > TRANSACTION_MAX_NANOS) {
                connection.rollback();
                context.applyTimeouts(connection);
                begun();
            }
            if (connection == null) {
                connection = context.connect(readOnly);
                begun();
            }
            return connection;
        }

        private void begun() throws SQLException {
            startedNanos = System.nanoTime();
            undo = readOnly ? null : connection.setSavepoint(SAVEPOINT);
        }

        void discard() {
            if (connection == null) {
                return;
            }
            try (Connection c = connection) {
                c.rollback();
            } catch (SQLException e) {
                // The connection is broken or the transaction already gone; closing it is all that is left to do.
            }
            connection = null;
            undo = null;
        }
    }

    /**
     * One EXPLAIN ANALYZE run on an open transaction; adds the JDBC round trip to {@code timing[0]} and the
     * server-reported time to {@code timing[1]} (when the array has room for it).
     */
    ExplainedPlan explain(Connection c, String jdbcSql, List<Object> values, double[] timing) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EXPLAIN + jdbcSql)) {
            return explain(ps, values, timing);
        }
    }

    private static ExplainedPlan explain(PreparedStatement ps, List<Object> values, double[] timing) throws SQLException {
        ExplainedPlan plan = PlanJson.parse(execute(ps, values, timing));
        if (timing.length > 1) {
            timing[1] += plan.serverMs();
        }
        return plan;
    }

    /** Like {@link #explain(PreparedStatement, List, double[])} but reads only the server's timings; returns them summed. */
    private static double explainTimings(PreparedStatement ps, List<Object> values, double[] timing) throws SQLException {
        double[] t = PlanJson.timings(execute(ps, values, timing));
        double serverMs = t[0] + t[1];
        if (timing.length > 1) {
            timing[1] += serverMs;
        }
        return serverMs;
    }

    /** Binds, runs and reads the EXPLAIN output; adds the JDBC round trip (send to last byte) to {@code timing[0]}. */
    private static String execute(PreparedStatement ps, List<Object> values, double[] timing) throws SQLException {
        ps.setEscapeProcessing(false);
        for (int i = 0; i < values.size(); i++) {
            bind(ps, i + 1, values.get(i));
        }
        long t0 = System.nanoTime();
        String json;
        try (ResultSet rs = ps.executeQuery()) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                sb.append(rs.getString(1));
            }
            json = sb.toString();
        }
        timing[0] += (System.nanoTime() - t0) / 1e6;
        return json;
    }

    /** The plan of {@code jdbcSql} bound to {@code values}, from a plain EXPLAIN: planned, nothing executed. */
    static ExplainedPlan planOnly(Connection c, String jdbcSql, List<Object> values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PLAN_ONLY + jdbcSql)) {
            ps.setEscapeProcessing(false);
            for (int i = 0; i < values.size(); i++) {
                bind(ps, i + 1, values.get(i));
            }
            StringBuilder json = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    json.append(rs.getString(1)).append('\n');
                }
            }
            return PlanJson.parse(json.toString());
        }
    }

    static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof List<?> || value instanceof Map<?, ?>) {
            try {
                ps.setObject(index, JSON.writeValueAsString(value), Types.OTHER);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("parameter " + index + " cannot be written as JSON", e);
            }
        } else {
            ps.setObject(index, value.toString(), Types.OTHER);
        }
    }

    static String oneLine(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip() + (e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]");
    }
}
