package dev.deltawatch.worker.check;

/**
 * Where a pass over every record waits, between two batches, while the running worker gives the database to a
 * check that must not wait behind it: a plan audit, a lock probe or the merge battery runs in a second or two, a pass
 * over a million records in a minute, and a fault they find is paged on only when they report. {@link #OPEN} never
 * waits, as a one-shot {@code check} runs its checks one after the other anyway. Implementations are thread-safe
 * (a partitioned pass asks from several threads) and never throw; an interrupted wait returns at once.
 */
@FunctionalInterface
public interface PassGate {
    PassGate OPEN = () -> { };

    /** Returns when the pass may read its next batch. */
    void awaitTurn();
}
