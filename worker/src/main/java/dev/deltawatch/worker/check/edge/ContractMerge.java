package dev.deltawatch.worker.check.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deltawatch.contracts.MergeContract;
import java.util.Iterator;
import java.util.Map;

/**
 * What the write path should store when it merges a patch into the delta, per the declared merge contract. A small
 * oracle for the edge battery's read-back comparison ({@code null} stands for SQL NULL, a NullNode for JSON null).
 */
final class ContractMerge {
    private final MergeContract contract;

    ContractMerge(MergeContract contract) {
        this.contract = contract;
    }

    JsonNode merge(JsonNode target, JsonNode patch) {
        boolean empty = contract.sqlNull().delta() == MergeContract.SqlNull.EMPTY;
        if (patch == null) {
            return empty ? (target == null ? JsonNodeFactory.instance.objectNode() : target) : null;
        }
        if (target == null) {
            if (contract.sqlNull().mirror() != MergeContract.SqlNull.EMPTY) {
                return null;
            }
            target = JsonNodeFactory.instance.objectNode();
        }
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target.isObject() ? ((ObjectNode) target).deepCopy() : JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            result.set(e.getKey(), mergeValue(result.get(e.getKey()), e.getValue(), result, e.getKey()));
            if (e.getValue().isNull() && contract.deltaNull() == MergeContract.DeltaNull.DELETE) {
                result.remove(e.getKey());
            }
        }
        return result;
    }

    private JsonNode mergeValue(JsonNode current, JsonNode value, ObjectNode into, String key) {
        if (value.isObject() && contract.objects() == MergeContract.Objects.DEEP) {
            if (current != null && current.isObject()) {
                return merge(current, value);
            }
            // RFC 7386 merges a new object into {} (dropping its nulls); an override contract stores it as sent.
            return contract.deltaNull() == MergeContract.DeltaNull.DELETE
                    ? merge(JsonNodeFactory.instance.objectNode(), value) : value;
        }
        if (value.isArray() && current != null && current.isArray()) {
            return switch (contract.arrays()) {
                case REPLACE -> value;
                case APPEND -> ((ArrayNode) current.deepCopy()).addAll((ArrayNode) value);
                case UNION -> union((ArrayNode) current, (ArrayNode) value);
            };
        }
        return value;
    }

    private static ArrayNode union(ArrayNode a, ArrayNode b) {
        ArrayNode out = a.deepCopy();
        for (JsonNode n : b) {
            boolean present = false;
            for (JsonNode m : out) {
                present |= m.equals(n);
            }
            if (!present) {
                out.add(n);
            }
        }
        return out;
    }
}
