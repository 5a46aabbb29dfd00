package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deltawatch.contracts.MergeContract;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The reference implementation of a declared {@link MergeContract}: what the database's merge function must return.
 *
 * <p>Rules, matching the reference {@code pfa_merge} for its contract and RFC 7386 for deep + delete + replace:
 * <ul>
 *   <li>a Java {@code null} argument is SQL NULL: on a side declared {@code empty} it counts as {@code {}} (a NULL
 *       delta returns the mirror), on a side declared {@code propagate} it makes the result SQL NULL ({@code null});</li>
 *   <li>{@code objects: concat} is exactly jsonb {@code ||} (see {@link #concat}); the rules below do not apply;</li>
 *   <li>a delta that is not an object (array, scalar, JSON null) replaces the whole document;</li>
 *   <li>a mirror that is not an object under an object delta counts as {@code {}} (at every depth);</li>
 *   <li>a JSON null in the delta sets the key to null ({@code override}) or removes it ({@code delete});</li>
 *   <li>an object in the delta merges key by key into the mirror's object ({@code deep}; a missing or non-object
 *       mirror value counts as {@code {}}, so under {@code delete} nested nulls are stripped as RFC 7386 does) or
 *       replaces it ({@code shallow}: only top-level keys merge);</li>
 *   <li>an array in the delta replaces the mirror's array, is appended to it, or adds the elements the mirror's
 *       array does not contain yet ({@code union}); against a non-array mirror value it replaces;</li>
 *   <li>no type coercion: values are copied as they are.</li>
 * </ul>
 * Inputs are never modified; the result shares no mutable node with them. Thread-safe.
 */
public final class MergeOracle {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final MergeContract contract;

    public MergeOracle(MergeContract contract) {
        this.contract = Objects.requireNonNull(contract, "contract");
    }

    public MergeContract contract() {
        return contract;
    }

    /** The merged document, or {@code null} for SQL NULL. */
    public JsonNode merge(JsonNode mirror, JsonNode delta) {
        MergeContract.SqlNullRule sqlNull = contract.sqlNull();
        if ((mirror == null && sqlNull.mirror() == MergeContract.SqlNull.PROPAGATE)
                || (delta == null && sqlNull.delta() == MergeContract.SqlNull.PROPAGATE)) {
            return null;
        }
        if (delta == null) {
            return mirror == null ? NODES.objectNode() : mirror.deepCopy();
        }
        if (mirror == null) {
            mirror = NODES.objectNode();
        }
        if (contract.objects() == MergeContract.Objects.CONCAT) {
            return concat(mirror, delta);
        }
        if (!delta.isObject()) {
            return delta.deepCopy();
        }
        return mergeObject(mirror, (ObjectNode) delta, true);
    }

    /**
     * Exactly jsonb {@code ||}: two objects give the union of their keys (the delta's value wins, JSON null included);
     * two arrays are concatenated; any other input is first wrapped in a one-element array.
     */
    private static JsonNode concat(JsonNode mirror, JsonNode delta) {
        if (mirror.isObject() && delta.isObject()) {
            ObjectNode out = ((ObjectNode) mirror).deepCopy();
            delta.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue().deepCopy()));
            return out;
        }
        ArrayNode out = NODES.arrayNode();
        for (JsonNode side : new JsonNode[] {mirror, delta}) {
            if (side.isArray()) {
                side.forEach(e -> out.add(e.deepCopy()));
            } else {
                out.add(side.deepCopy());
            }
        }
        return out;
    }

    private ObjectNode mergeObject(JsonNode mirror, ObjectNode delta, boolean topLevel) {
        ObjectNode result = mirror.isObject() ? ((ObjectNode) mirror).deepCopy() : NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = delta.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                if (contract.deltaNull() == MergeContract.DeltaNull.DELETE) {
                    result.remove(key);
                } else {
                    result.set(key, NODES.nullNode());
                }
            } else {
                result.set(key, mergeValue(result.get(key), value, topLevel));
            }
        }
        return result;
    }

    private JsonNode mergeValue(JsonNode mirrorValue, JsonNode deltaValue, boolean topLevel) {
        if (deltaValue.isObject()) {
            boolean deep = contract.objects() == MergeContract.Objects.DEEP;
            if (deep || !topLevel) {
                // Shallow contracts never reach here below the top level; deep ones recurse with {} for a
                // missing or non-object mirror value, which also strips nested nulls under 'delete'.
                return mergeObject(deep && mirrorValue != null ? mirrorValue : NODES.objectNode(),
                        (ObjectNode) deltaValue, false);
            }
            return stripNullsIfDeleting(deltaValue);
        }
        if (deltaValue.isArray() && mirrorValue != null && mirrorValue.isArray()) {
            return mergeArrays((ArrayNode) mirrorValue, (ArrayNode) deltaValue);
        }
        return deltaValue.deepCopy();
    }

    /** Shallow + delete: the delta's object replaces the mirror's, as RFC 7386 would apply it to {@code {}}. */
    private JsonNode stripNullsIfDeleting(JsonNode deltaValue) {
        if (contract.deltaNull() == MergeContract.DeltaNull.DELETE) {
            return mergeObject(NODES.objectNode(), (ObjectNode) deltaValue, false);
        }
        return deltaValue.deepCopy();
    }

    private JsonNode mergeArrays(ArrayNode mirrorArray, ArrayNode deltaArray) {
        switch (contract.arrays()) {
            case APPEND: {
                ArrayNode out = mirrorArray.deepCopy();
                deltaArray.forEach(e -> out.add(e.deepCopy()));
                return out;
            }
            case UNION: {
                ArrayNode out = mirrorArray.deepCopy();
                for (JsonNode e : deltaArray) {
                    if (!JsonDiff.containsEqual(out, e)) {
                        out.add(e.deepCopy());
                    }
                }
                return out;
            }
            default:
                return deltaArray.deepCopy();
        }
    }
}
