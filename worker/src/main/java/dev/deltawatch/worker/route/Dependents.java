package dev.deltawatch.worker.route;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the checks' verdicts depend on beyond the watched tables and the configured function names, as found in the
 * catalog: the tables the registered queries read, and the functions the merge and write paths reach (what the
 * configured functions call, transitively; functions of generated-column expressions; trigger functions on the
 * watched tables). Names are {@code schema.name}, unquoted. Immutable; the runtime resolves a new one after schema
 * changes and hands it to {@link RouteTable#withDependents}.
 *
 * @param queriesByTable registered query names by the table they read
 * @param functions      why each function matters, by its {@code schema.name}
 */
public record Dependents(Map<String, List<String>> queriesByTable, Map<String, List<Use>> functions) {

    /** Which side a function serves. */
    public enum Role {
        /** The merged value: the merge battery and the hygiene checks re-run. */
        MERGE,
        /** The write path: lock probes and write-path edge cases re-run. */
        WRITE
    }

    /**
     * One reason a function matters.
     *
     * @param role what it serves
     * @param via  the configured object that reaches it, for the trigger text ({@code merge function public.pfa_merge})
     */
    public record Use(Role role, String via) {}

    public static final Dependents NONE = new Dependents(Map.of(), Map.of());

    public Dependents {
        queriesByTable = Map.copyOf(queriesByTable);
        functions = Map.copyOf(functions);
    }

    /** Tables the registered queries read, {@code schema.name}. */
    public Set<String> readTables() {
        return queriesByTable.keySet();
    }
}
