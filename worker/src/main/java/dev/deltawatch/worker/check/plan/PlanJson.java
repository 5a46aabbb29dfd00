package dev.deltawatch.worker.check.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses the output of {@code EXPLAIN (..., FORMAT JSON)} into an {@link ExplainedPlan}. Thread-safe. */
public final class PlanJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanJson() {}

    /**
     * @throws IllegalArgumentException when {@code json} is not EXPLAIN's JSON (an array holding one object with a
     *                                  {@code Plan})
     */
    public static ExplainedPlan parse(String json) {
        JsonNode doc;
        try {
            doc = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("EXPLAIN output is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode top = doc != null && doc.isArray() && !doc.isEmpty() ? doc.get(0) : doc;
        if (top == null || !top.has("Plan") || !top.get("Plan").isObject()) {
            throw new IllegalArgumentException("EXPLAIN output has no \"Plan\" object");
        }
        return new ExplainedPlan(node((ObjectNode) top.get("Plan")),
                top.path("Planning Time").asDouble(0), top.path("Execution Time").asDouble(0));
    }

    /**
     * Only the server's timings of an EXPLAIN output, {@code [Planning Time, Execution Time]} (0 when absent),
     * read as a stream that skips the plan tree instead of building it: the measured runs before the last need no
     * more for the p95. Checks the same shape as {@link #parse}.
     *
     * @throws IllegalArgumentException when {@code json} is not EXPLAIN's JSON
     */
    public static double[] timings(String json) {
        try (JsonParser p = JSON.getFactory().createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                t = p.nextToken();
            }
            if (t != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("EXPLAIN output has no \"Plan\" object");
            }
            boolean plan = false;
            double planning = 0;
            double execution = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "Plan" -> plan = value == JsonToken.START_OBJECT;
                    case "Planning Time" -> planning = value.isNumeric() ? p.getDoubleValue() : 0;
                    case "Execution Time" -> execution = value.isNumeric() ? p.getDoubleValue() : 0;
                    default -> { }
                }
                p.skipChildren();
            }
            if (!plan) {
                throw new IllegalArgumentException("EXPLAIN output has no \"Plan\" object");
            }
            return new double[] {planning, execution};
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("EXPLAIN output is not JSON: " + why, e);
        }
    }

    private static PlanNode node(ObjectNode json) {
        // Shallow: children become nodes of their own, so "Plans" is taken out of this node's properties (the tree
        // is ours, freshly parsed: removing is cheaper than copying the other properties into a new object).
        JsonNode plans = json.remove("Plans");
        ObjectNode props = json;
        List<PlanNode> children = new ArrayList<>();
        if (plans != null && plans.isArray()) {
            for (JsonNode child : plans) {
                if (child.isObject()) {
                    children.add(node((ObjectNode) child));
                }
            }
        }
        return new PlanNode(props, children);
    }
}
