package dev.deltawatch.worker.check;

/**
 * Where a pass over every record waits, before each batch it reads, while the running worker gives the database to
 * a check that must not wait behind it: a plan audit, a lock probe or the merge battery runs in a second or two, a
 * pass over a million records in a minute, and a fault they find is paged on only when they report. Such a check
 * starts once the batches being read are in, so a plan audit's timings are not inflated by a scan beside it.
 * {@link #OPEN} never waits, as a one-shot {@code check} orders its checks itself. Implementations are thread-safe (a
 * partitioned pass reads on several threads); an interrupted wait returns at once. {@link #beforeRead()} throws only
 * {@link Superseded}, when a later pass makes the rest of this one worthless: the pass then ends without a verdict.
 */
public interface PassGate {
    PassGate OPEN = new PassGate() {
        @Override
        public void beforeRead() {
        }

        @Override
        public void afterRead() {
        }
    };

    /** Returns when the pass may read its next batch; throws {@link Superseded} when it should read no more. */
    void beforeRead();

    /** The batch's read returned (or failed); call once for each {@link #beforeRead()}. */
    void afterRead();

    /** The pass is no longer wanted: a later one reads what it would have. */
    final class Superseded extends RuntimeException {
        public Superseded(String message) {
            super(message, null, false, false);
        }
    }
}
