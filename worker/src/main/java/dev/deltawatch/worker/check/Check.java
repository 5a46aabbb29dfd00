package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.CheckScope;
import java.util.List;

/**
 * One check: a question about the target with a yes/no answer per subject.
 *
 * <p>Lifecycle: constructed once, {@link #run} called any number of times (never concurrently for one instance
 * unless the implementation says it is thread-safe), then {@link #close}. {@code run} returns one result per
 * subject it examined, failing or passing; it never returns null. An exception from {@code run} means the check
 * could not complete (database down, timeout): the caller records an ERROR run with its message and raises no
 * finding from it.
 */
public interface Check extends AutoCloseable {

    /** Stable name, {@code family.check}, e.g. {@code merge.differential}. Used in metrics and check runs. */
    String name();

    /** The check family: {@code merge}, {@code plan}, {@code lock}, {@code edge}, {@code hygiene} or {@code perf}. */
    String family();

    /** Whether this check has anything to do for the scope (e.g. a record-level check ignores OBJECTS scopes). */
    default boolean appliesTo(CheckScope scope) {
        return true;
    }

    List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception;

    /**
     * The runs that check {@code scope}, most urgent first; the worker publishes each run's findings as it
     * completes, so the first verdict need not wait for the last. Default: one run of the whole scope. A check
     * whose scope covers independent subjects may split it (the plan audit after DDL: one run per query, those
     * whose plan changed first). Called only for a scope the check {@link #appliesTo}; when it throws, the scope is
     * run whole and that run reports the error.
     */
    default List<CheckScope> parts(CheckContext context, CheckScope scope) throws Exception {
        return List.of(scope);
    }

    /** Releases what the check holds (prepared statements, probe rows). Default: nothing. */
    @Override
    default void close() {
    }
}
