package dev.deltawatch.worker.route;

/**
 * What a change can require re-running, in the terms of ARCHITECTURE.md's "What re-runs what". The router
 * decides groups; the runtime maps each group to the concrete checks of its family.
 */
public enum CheckGroup {
    /**
     * Merge correctness and generated-column agreement for the records that changed, or for every record (scope
     * ALL: the full pass routed beside {@link #MERGE_BATTERY}, the baseline and the sweep).
     */
    MERGE_RECORDS("merge"),
    /**
     * The merge battery (adversarial, systematic and generated cases) and the function's volatility. It is always
     * routed with a {@link #MERGE_RECORDS} pass over every record: a redefinition changes every merged value, and a
     * fix must resolve the open record-level findings at once.
     */
    MERGE_BATTERY("merge"),
    /** Version discipline from the before/after images capture saw (no writes). */
    VERSION_PASSIVE("lock"),
    /** Active lock-conflict probes on reserved probe rows. */
    LOCK_PROBES("lock"),
    /** Adversarial payloads through the write path. */
    EDGE_WRITE_PATH("edge"),
    /** Plan audits of the registered queries that read the changed table. */
    PLAN_AUDIT("plan"),
    /** Schema, index and function hygiene of the watched tables. */
    HYGIENE_SCHEMA("hygiene"),
    /** Runtime hygiene: connection pooling, unbounded results, stale generated values. */
    HYGIENE_RUNTIME("hygiene");

    private final String family;

    CheckGroup(String family) {
        this.family = family;
    }

    public String family() {
        return family;
    }

    /**
     * Whether the validate loop runs this group on a lane of its own ({@link #runsLong()} says which), beside the
     * verification of changed records: everything but the record-level merge checks and the passive version check,
     * which must not wait seconds behind a plan audit or a lock probe. Slow groups share no check with those two
     * ({@code CheckGroupsTest}); a {@link #MERGE_RECORDS} pass over every record runs on a lane of its own too, and
     * changed records wait for it, so the runs of one check, and the lifecycle events of each finding, keep their
     * order.
     */
    public boolean slow() {
        return this != MERGE_RECORDS && this != VERSION_PASSIVE;
    }

    /**
     * Whether this slow group takes seconds of probing or sampling (lock probes, write-path edge cases, runtime
     * hygiene's samples: the connection-pooling sample alone lasts 10 s), so the validate loop runs it on a lane
     * apart from the quick, decisive audits (the merge battery, plan audits, schema hygiene): a dropped index is
     * reported in a second, not after the probes a write-function change asked for.
     */
    public boolean runsLong() {
        return this == LOCK_PROBES || this == EDGE_WRITE_PATH || this == HYGIENE_RUNTIME;
    }

    /** Whether checks of this group need the change events themselves, not only the records they name. */
    public boolean needsEvents() {
        return this == VERSION_PASSIVE;
    }
}
