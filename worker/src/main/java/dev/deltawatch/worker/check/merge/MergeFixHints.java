package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.MergeContract;

/**
 * Turns the first difference between the oracle and the database into a diagnosis a person can act on, by
 * recognising the usual ways a merge function drifts from its contract (a dropped null, a shallow {@code ||},
 * appended arrays, coerced strings, a NULL that leaks through).
 */
public final class MergeFixHints {
    private MergeFixHints() {}

    public static String hint(MergeContract contract, JsonNode mirror, JsonNode delta, JsonDiff.Difference d) {
        JsonNode expected = d.expected();
        JsonNode actual = d.actual();
        String p = d.path();
        if (actual == null && "$".equals(p)) {
            return "the function returns SQL NULL" + (mirror == null ? " for a SQL NULL mirror" : "")
                    + (delta == null ? " for a SQL NULL delta" : "")
                    + ": the contract (sqlNull: empty) treats SQL NULL as {}: start the function with "
                    + "mirror := coalesce(mirror, '{}'); IF delta IS NULL THEN RETURN mirror; END IF;";
        }
        if (expected == null && "$".equals(p)) {
            return "the function returns a value where the contract (sqlNull: propagate) requires SQL NULL: "
                    + "declare it STRICT or return NULL when either argument is NULL";
        }
        if (expected != null && expected.isNull() && actual == null) {
            return "the delta's null is dropped at " + p + ": the function deletes instead of overriding "
                    + "(contract deltaNull: override); set the key to 'null'::jsonb instead of removing it";
        }
        if (expected == null && actual != null && actual.isNull()) {
            return "the delta's null is kept at " + p + ": the function overrides instead of deleting "
                    + "(contract deltaNull: delete); remove the key (result - k) when the delta's value is null";
        }
        if (expected != null && actual != null && expected.isTextual() && actual.isNumber()
                && expected.asText().equals(actual.asText())) {
            return "type coercion at " + p + ": the string " + expected + " became the number " + actual
                    + " (contract typeCoercion: none); copy the delta's value as jsonb without casting it";
        }
        if (expected != null && actual != null && expected.isArray() && actual.isArray()
                && actual.size() > expected.size()) {
            return "the array at " + p + " grew from " + expected.size() + " to " + actual.size()
                    + " elements: the function appends where the contract declares arrays: "
                    + contract.arrays().name().toLowerCase() + "; let the delta's array replace the mirror's";
        }
        if (actual == null && expected != null && contract.objects() == MergeContract.Objects.DEEP) {
            return "the mirror's value at " + p + " is lost: the function replaces nested objects (a shallow "
                    + "'mirror || delta') where the contract declares deep merging; recurse into objects "
                    + "present in both documents";
        }
        return "the function's value at " + p + " differs from the declared contract (" + describe(contract)
                + "); compare its handling of this path with the oracle's expected value";
    }

    static String describe(MergeContract c) {
        return "objects: " + lower(c.objects()) + ", deltaNull: " + lower(c.deltaNull()) + ", arrays: "
                + lower(c.arrays()) + ", sqlNull: " + c.sqlNull() + ", typeCoercion: " + lower(c.typeCoercion());
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase();
    }
}
