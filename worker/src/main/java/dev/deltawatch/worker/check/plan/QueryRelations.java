package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.TargetConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which tables each registered query reads, from its plan ({@code EXPLAIN} without {@code ANALYZE}: nothing is
 * executed) for its first sample parameter set. The router uses it so that DDL on
 * any table a registered query reads re-audits that query, watched or not.
 */
public final class QueryRelations {
    private static final Logger LOG = LoggerFactory.getLogger(QueryRelations.class);

    private QueryRelations() {}

    /**
     * Registered query names by each table ({@code schema.name}, unquoted) their plans read. A query that cannot be
     * planned (an error in its SQL) is left out: its audit reports the error itself.
     */
    public static Map<String, List<String>> queriesByTable(Connection c, TargetConfig target) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (TargetConfig.RegisteredQuery q : target.queries()) {
            for (String table : relations(c, q)) {
                out.computeIfAbsent(table, t -> new ArrayList<>()).add(q.name());
            }
        }
        return out;
    }

    private static List<String> relations(Connection c, TargetConfig.RegisteredQuery q) throws SQLException {
        List<String> out = new ArrayList<>();
        // EXPLAIN without ANALYZE plans the statement with its first sample parameters and runs nothing. (GENERIC_PLAN
        // would need no parameters, but only PostgreSQL 16 has it, and JDBC's extended protocol cannot send $n unbound.)
        try {
            ParameterizedSql sql = ParameterizedSql.of(q.sql());
            List<Object> values = q.params().isEmpty() ? Collections.nCopies(sql.parameterCount(), null)
                    : sql.bind(q.params().get(0));
            ExplainRunner.planOnly(c, sql.jdbcSql(), values).root().visit(n -> {
                String table = n.qualifiedRelation();
                if (table != null && !out.contains(table)) {
                    out.add(table);
                }
            });
        } catch (SQLException | IllegalArgumentException e) {
            LOG.debug("[plan] tables read by query '{}' unknown: {}", q.name(), e.getMessage());
        }
        return out;
    }
}
