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

    /** Releases what the check holds (prepared statements, probe rows). Default: nothing. */
    @Override
    default void close() {
    }
}
