package dev.deltawatch.worker.check.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.worker.check.CheckContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON)} for an audited query: warmups, then the measured
 * runs, for each parameter set. A read runs in a READ ONLY transaction; a write runs in a transaction that is
 * rolled back after every run, so nothing it changes survives. Every transaction has the context's
 * {@code statement_timeout} and {@code lock_timeout}.
 *
 * <p>Values are bound untyped (as SQL literals without a type are), so the server infers each parameter's type
 * from where it is used, exactly as it would for the application's {@code $n}: {@code id = $1} binds a bigint,
 * {@code $2::jsonb} a jsonb. Structured values (lists, maps) are bound as their JSON text.
 */
public final class ExplainRunner {
    static final String EXPLAIN = "EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON) ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY_CANCELED = "57014";

    private final CheckContext context;
    private final PlanAuditSettings settings;

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
        int runs = query.runs() > 0 ? query.runs() : settings.runs();
        int warmups = query.runs() > 0 ? 0 : settings.warmups();
        List<QueryMeasurement.ParamSetRuns> sets = new ArrayList<>();
        double[] jdbcMs = {0, 0};
        try (Connection c = context.connect(!query.isWrite())) {
            try {
                for (int i = 0; i < query.params().size(); i++) {
                    List<Object> values = sql.bind(query.params().get(i));
                    List<ExplainedPlan> plans = new ArrayList<>();
                    for (int r = 0; r < warmups + runs; r++) {
                        ExplainedPlan plan = explain(c, sql.jdbcSql(), values, jdbcMs);
                        if (query.isWrite()) {
                            // Undo what the write did before the next run, then re-arm the timeouts.
                            c.rollback();
                            context.applyTimeouts(c);
                        }
                        if (r >= warmups) {
                            plans.add(plan);
                        }
                    }
                    sets.add(new QueryMeasurement.ParamSetRuns(i, query.params().get(i), plans));
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            boolean timeout = QUERY_CANCELED.equals(e.getSQLState());
            return new QueryMeasurement(query, sets, oneLine(e), timeout, jdbcMs[0], jdbcMs[1]);
        } catch (IllegalArgumentException e) {
            return new QueryMeasurement(query, sets, e.getMessage(), false, jdbcMs[0], jdbcMs[1]);
        }
        return new QueryMeasurement(query, sets, null, false, jdbcMs[0], jdbcMs[1]);
    }

    /**
     * One EXPLAIN ANALYZE run on an open transaction; adds the JDBC round trip to {@code timing[0]} and the
     * server-reported time to {@code timing[1]} (when the array has room for it).
     */
    ExplainedPlan explain(Connection c, String jdbcSql, List<Object> values, double[] timing) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EXPLAIN + jdbcSql)) {
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
            ExplainedPlan plan = PlanJson.parse(json);
            if (timing.length > 1) {
                timing[1] += plan.serverMs();
            }
            return plan;
        }
    }

    private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
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
