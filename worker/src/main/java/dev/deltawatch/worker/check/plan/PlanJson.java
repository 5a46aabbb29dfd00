package dev.deltawatch.worker.check.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    private static PlanNode node(ObjectNode json) {
        // Shallow: children are parsed on their own, so copying "Plans" into every ancestor would be wasted work.
        ObjectNode props = JSON.createObjectNode();
        json.fields().forEachRemaining(e -> {
            if (!"Plans".equals(e.getKey())) {
                props.set(e.getKey(), e.getValue());
            }
        });
        JsonNode plans = json.get("Plans");
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
