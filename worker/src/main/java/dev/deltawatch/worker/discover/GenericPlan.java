package dev.deltawatch.worker.discover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code EXPLAIN (GENERIC_PLAN)} (PostgreSQL 16+) says of a statement whose parameters could not be drawn: the
 * scans of its generic plan, which needs no parameter values. Nothing runs; a failure is reported, not thrown.
 */
final class GenericPlan {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GenericPlan() {}

    /**
     * @param simple a connection on the simple query protocol ({@code preferQueryMode=simple}): over the extended one
     *               the driver binds zero values to the statement's {@code $n} and the server refuses; null when none
     */
    static String describe(Connection simple, String sql) {
        if (simple == null) {
            return "EXPLAIN (GENERIC_PLAN) not run (no simple-protocol connection): fill in params to register it";
        }
        try {
            int version = simple.getMetaData().getDatabaseMajorVersion();
            if (version < 16) {
                return "EXPLAIN (GENERIC_PLAN) needs PostgreSQL 16+, this is " + version + ": fill in params to "
                        + "register it";
            }
            StringBuilder json = new StringBuilder();
            try (Statement s = simple.createStatement();
                 ResultSet rs = s.executeQuery("EXPLAIN (GENERIC_PLAN, FORMAT JSON) " + sql)) {
                while (rs.next()) {
                    json.append(rs.getString(1));
                }
            }
            List<String> scans = new ArrayList<>();
            walk(JSON.readTree(json.toString()).get(0).get("Plan"), scans);
            return "EXPLAIN (GENERIC_PLAN): " + String.join("; ", scans) + " -- fill in params to register it";
        } catch (Exception e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                    .orElse("");
            return "EXPLAIN (GENERIC_PLAN) failed: " + m;
        }
    }

    private static void walk(JsonNode node, List<String> scans) {
        if (node == null) {
            return;
        }
        if (node.has("Relation Name")) {
            scans.add(node.get("Node Type").asText() + (node.has("Index Name") ? " using "
                    + node.get("Index Name").asText() : "") + " on " + node.get("Relation Name").asText());
        }
        for (JsonNode child : node.path("Plans")) {
            walk(child, scans);
        }
    }
}
