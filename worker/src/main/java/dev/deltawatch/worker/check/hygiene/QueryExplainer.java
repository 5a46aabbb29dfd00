package dev.deltawatch.worker.check.hygiene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.contracts.TargetConfig.RegisteredQuery;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * EXPLAINs a registered query with its first sample parameter set bound (never spliced): the {@code $n} markers
 * are rewritten to {@code ?} by {@link SqlText#toJdbc} and each bind takes the sample value of its {@code $n}.
 * Strings are bound with an unspecified type so the server infers it from context ({@code $1::date},
 * {@code organization_id = $1}), as it would for the application's own driver. The caller owns the transaction:
 * read-only, under statement_timeout; EXPLAIN without ANALYZE executes nothing, not even a write.
 */
final class QueryExplainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryExplainer() {}

    /** Whether the query can be explained: its {@code $n} all have a sample value. */
    static boolean explainable(RegisteredQuery q) {
        int needed;
        try {
            needed = SqlText.toJdbc(q.sql()).highestParameter();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("registered query '" + q.name() + "': " + e.getMessage(), e);
        }
        return needed == 0 || !q.params().isEmpty() && q.params().get(0).size() >= needed;
    }

    /** The top {@code Plan} node of {@code EXPLAIN (FORMAT JSON)}, with ANALYZE when asked. */
    static JsonNode explain(Connection c, RegisteredQuery q, boolean analyze) throws SQLException {
        return explain(c, q, analyze, 0);
    }

    /**
     * The same with sample parameter set {@code set} (0-based) bound: each set gets its own custom plan, so a
     * plan that depends on the values (a partial index, skewed statistics) is seen for every set.
     */
    static JsonNode explain(Connection c, RegisteredQuery q, boolean analyze, int set) throws SQLException {
        SqlText.Jdbc jdbc = SqlText.toJdbc(q.sql());
        List<Object> sample = q.params().isEmpty() ? List.of() : q.params().get(set);
        if (jdbc.highestParameter() > sample.size()) {
            throw new SQLException("query '" + q.name() + "' uses $" + jdbc.highestParameter() + " but its sample "
                    + "parameter set " + (set + 1) + " has " + sample.size() + " values");
        }
        String options = analyze ? "(ANALYZE, FORMAT JSON)" : "(FORMAT JSON)";
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + options + " " + jdbc.sql())) {
            for (int i = 0; i < jdbc.parameterOrder().size(); i++) {
                bind(ps, i + 1, sample.get(jdbc.parameterOrder().get(i) - 1));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return JSON.readTree(rs.getString(1)).get(0).get("Plan");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("EXPLAIN output of query '" + q.name() + "' is not JSON: " + e.getMessage(), e);
            }
        }
    }

    static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.OTHER);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            ps.setObject(index, value);
        } else if (value instanceof Boolean b) {
            ps.setBoolean(index, b);
        } else if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                ps.setObject(index, JSON.writeValueAsString(value), Types.OTHER);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("sample value " + index + " cannot be written as JSON", e);
            }
        } else {
            ps.setObject(index, value.toString(), Types.OTHER);
        }
    }
}
