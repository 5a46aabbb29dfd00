package dev.deltawatch.worker.check;

/**
 * Where a long check says how far it got: a full pass over the records announces its total and counts the records
 * it has read, so a one-shot {@code check} at 1M records is not silent for a minute. Implementations are
 * thread-safe (a partitioned scan counts from several threads) and never throw; {@link #NONE} ignores everything,
 * as the running worker does.
 */
@FunctionalInterface
public interface CheckProgress {
    CheckProgress NONE = (check, totalRecords) -> Pass.NONE;

    /**
     * A full pass of {@code check} over about {@code totalRecords} records (an estimate from the planner's
     * statistics; {@code <= 0} when unknown) begins. Close the pass when it ends, failed or not.
     */
    Pass pass(String check, long totalRecords);

    /** One pass in progress. */
    interface Pass extends AutoCloseable {
        Pass NONE = new Pass() {
            @Override
            public void add(long records) {
            }

            @Override
            public void close() {
            }
        };

        /** Counts records read (any thread). */
        void add(long records);

        @Override
        void close();
    }
}
