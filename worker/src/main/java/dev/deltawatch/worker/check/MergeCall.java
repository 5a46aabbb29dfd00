package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.TargetConfig;

/**
 * How the target merges, as SQL: its function with the declared argument order, or the built-in {@code ||}.
 *
 * @param function the schema-qualified, quoted function; null for {@code ||}
 * @param deltaFirst the function takes (delta, mirror)
 */
public record MergeCall(String function, boolean deltaFirst, String displayName) {

    public static MergeCall of(TargetConfig.Merge merge, String quotedFunction) {
        return new MergeCall(merge.concatOperator() ? null : quotedFunction,
                merge.arguments().get(0) == TargetConfig.Merge.Role.DELTA, merge.displayName());
    }

    /** The merged value of two jsonb expressions. */
    public String sql(String mirror, String delta) {
        if (function == null) {
            return "(" + mirror + " || " + delta + ")";
        }
        return deltaFirst ? function + "(" + delta + ", " + mirror + ")" : function + "(" + mirror + ", " + delta + ")";
    }

    /** True when the merge is a function the catalog holds (something to redefine, inspect, fault). */
    public boolean isFunction() {
        return function != null;
    }
}
