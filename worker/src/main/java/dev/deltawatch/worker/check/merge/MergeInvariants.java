package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.MergeContract;
import java.util.Iterator;
import java.util.Map;

/**
 * Properties every merge under a contract has, checked on the database's own results (they hold for the oracle
 * by construction). Each returns null when it holds, or a description naming the path where it broke.
 */
final class MergeInvariants {
    static final String EMPTY_DELTA = "invariant-empty-delta";
    static final String IDEMPOTENT = "invariant-idempotent";
    static final String MIRROR_KEY_KEPT = "invariant-mirror-key-kept";

    private MergeInvariants() {}

    /** {@code merge(m, {}) = m}. */
    static String emptyDelta(JsonNode mirror, JsonNode mergedWithEmpty) {
        JsonNode expected = mirror == null || !mirror.isObject() ? MergeVerifier.parse("{}") : mirror;
        var diffs = JsonDiff.diff(expected, mergedWithEmpty, 1);
        return diffs.isEmpty() ? null : "merge(m, {}) differs from m at " + diffs.get(0).describe();
    }

    /**
     * {@code merge(merge(m, d), d) = merge(m, d)}; holds for every contract except appended arrays (appending
     * the same elements twice grows the array), so it is skipped there.
     */
    static boolean idempotenceApplies(MergeContract contract) {
        // Under concat a non-object delta is appended as an element, so applying it twice grows the result too.
        return contract.arrays() != MergeContract.Arrays.APPEND && contract.objects() != MergeContract.Objects.CONCAT;
    }

    static String idempotent(JsonNode merged, JsonNode reapplied) {
        var diffs = JsonDiff.diff(merged, reapplied, 1);
        return diffs.isEmpty() ? null : "merge(merge(m, d), d) differs from merge(m, d) at " + diffs.get(0).describe();
    }

    /**
     * No key of the mirror disappears from the result unless the contract removes it: the delta replaces the
     * whole document (not an object), sets the key to null under {@code delete}, or replaces the parent object
     * under {@code shallow}. Returns the first lost key's path.
     */
    static String mirrorKeyKept(MergeContract contract, JsonNode mirror, JsonNode delta, JsonNode result) {
        if (mirror == null || delta == null) {
            return null;
        }
        String lost = lostKey(contract, mirror, delta, result, "$", true);
        return lost == null ? null : "the mirror's key " + lost + " is missing from merge(m, d)";
    }

    private static String lostKey(MergeContract contract, JsonNode mirror, JsonNode delta, JsonNode result,
                                  String path, boolean top) {
        if (!mirror.isObject() || !delta.isObject() || mirror.isEmpty()) {
            return null;
        }
        if (result == null || !result.isObject()) {
            return JsonDiff.child(path, mirror.fieldNames().next());
        }
        Iterator<Map.Entry<String, JsonNode>> fields = mirror.fields();
        while (fields.hasNext()) {
            String key = fields.next().getKey();
            JsonNode d = delta.get(key);
            if (d != null && d.isNull() && contract.deltaNull() == MergeContract.DeltaNull.DELETE) {
                continue;
            }
            if (!result.has(key)) {
                return JsonDiff.child(path, key);
            }
            boolean deep = contract.objects() == MergeContract.Objects.DEEP;
            if (d != null && d.isObject() && deep) {
                String nested = lostKey(contract, mirror.get(key), d, result.get(key), JsonDiff.child(path, key), false);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }
}
