package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deltawatch.worker.check.merge.MergeFunctionProbe.Pair;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Shrinks a failing (mirror, delta) pair to a small counterexample: each round proposes every one-step
 * simplification (drop a key, drop an array element, replace a container by one of its children, shorten a
 * string, zero a number), evaluates all proposals in one set-based statement, and keeps the first that still
 * fails. Stops when nothing simpler fails or after {@link #MAX_ROUNDS}.
 */
final class Shrinker {
    static final int MAX_ROUNDS = 60;

    /** Given candidates, the index of the first that still fails, or -1. One database round trip. */
    interface FailureSearch {
        int firstFailing(List<Pair> candidates) throws SQLException;
    }

    private Shrinker() {}

    static Pair shrink(Pair failing, FailureSearch search) throws SQLException {
        Pair current = failing;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Pair> candidates = new ArrayList<>();
            for (JsonNode m : simpler(current.mirror())) {
                candidates.add(new Pair(m, current.delta()));
            }
            for (JsonNode d : simpler(current.delta())) {
                candidates.add(new Pair(current.mirror(), d));
            }
            if (candidates.isEmpty()) {
                return current;
            }
            int found = search.firstFailing(candidates);
            if (found < 0) {
                return current;
            }
            current = candidates.get(found);
        }
        return current;
    }

    /** One-step simplifications of {@code node}, smallest first. */
    static List<JsonNode> simpler(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                ObjectNode without = ((ObjectNode) node).deepCopy();
                without.remove(k);
                out.add(without);
            }
            for (String k : keys) {
                for (JsonNode child : simpler(node.get(k))) {
                    ObjectNode replaced = ((ObjectNode) node).deepCopy();
                    replaced.set(k, child);
                    out.add(replaced);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ArrayNode without = ((ArrayNode) node).deepCopy();
                without.remove(i);
                out.add(without);
            }
            Iterator<JsonNode> elements = node.elements();
            while (elements.hasNext()) {
                JsonNode e = elements.next();
                if (e.isContainerNode()) {
                    out.add(e);
                }
            }
        } else if (node.isTextual() && node.textValue().length() > 1) {
            out.add(JsonNodeFactory.instance.textNode(node.textValue().substring(0, 1)));
        } else if (node.isNumber() && node.decimalValue().signum() != 0 && !node.isIntegralNumber()) {
            out.add(JsonNodeFactory.instance.numberNode(1));
        }
        return out;
    }
}
