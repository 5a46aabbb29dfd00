package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.TargetConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which tables each registered query reads, from its generic plan ({@code EXPLAIN (GENERIC_PLAN)}, PostgreSQL 16
 * and later: planned with its {@code $n} parameters unbound, nothing executed). The router uses it so that DDL on
 * any table a registered query reads re-audits that query, watched or not.
 */
public final class QueryRelations {
    private static final Logger LOG = LoggerFactory.getLogger(QueryRelations.class);
    private static final String EXPLAIN = "EXPLAIN (GENERIC_PLAN, VERBOSE, FORMAT JSON) ";

    private QueryRelations() {}

    /**
     * Registered query names by each table ({@code schema.name}, unquoted) their plans read. A query that cannot be
     * planned (an error in its SQL, a server before 16) is left out: its audit reports the error itself.
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
        // The registered SQL is the team's own statement; EXPLAIN without ANALYZE plans it and runs nothing.
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(EXPLAIN + q.sql())) {
            StringBuilder json = new StringBuilder();
            while (rs.next()) {
                json.append(rs.getString(1)).append('\n');
            }
            PlanJson.parse(json.toString()).root().visit(n -> {
                String table = n.qualifiedRelation();
                if (table != null && !out.contains(table)) {
                    out.add(table);
                }
            });
        } catch (SQLException | IllegalArgumentException e) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            LOG.debug("[plan] tables read by query '{}' unknown: {}", q.name(), e.getMessage());
        }
        return out;
    }
}
