package dev.deltawatch.worker.route;

/**
 * What a change can require re-running, in the terms of ARCHITECTURE.md's "What re-runs what". The router
 * decides groups; the runtime maps each group to the concrete checks of its family.
 */
public enum CheckGroup {
    /** Merge correctness and generated-column agreement for the records that changed. */
    MERGE_RECORDS("merge"),
    /**
     * The full merge battery (adversarial, systematic and generated cases) and every record verified again: a
     * redefinition changes every merged value, and a fix must resolve the open record-level findings at once.
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

    /** Whether checks of this group need the change events themselves, not only the records they name. */
    public boolean needsEvents() {
        return this == VERSION_PASSIVE;
    }
}
