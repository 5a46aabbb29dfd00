package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.worker.check.ResolvedTarget;

/** Whether a (mirror, delta) pair can occur in the target, given what its schema lets the columns hold. */
final class InputDomainFilter {
    private InputDomainFilter() {}

    /** Why the schema rules the pair out, or null when it can occur ({@code null} = SQL NULL). */
    static String outside(ResolvedTarget.InputDomain domain, JsonNode mirror, JsonNode delta) {
        String m = side("mirror", mirror, domain.mirrorNotNull(), domain.mirrorObjectOnly());
        return m != null ? m : side("delta", delta, domain.deltaNotNull(), domain.deltaObjectOnly());
    }

    private static String side(String name, JsonNode value, boolean notNull, boolean objectOnly) {
        if (value == null) {
            return notNull ? "the " + name + " column is NOT NULL, so a SQL NULL " + name + " cannot occur" : null;
        }
        if (objectOnly && !value.isObject()) {
            return "a CHECK constraint keeps the " + name + " column to objects, so a " + value.getNodeType()
                    .toString().toLowerCase() + " " + name + " cannot occur";
        }
        return null;
    }
}
