package dev.deltawatch.worker.runtime;

import dev.deltawatch.worker.check.PassGate;

/**
 * The running worker's {@link PassGate}: a slow group's work (a plan audit, a lock probe, the merge battery,
 * hygiene) starts once the batches a pass over every record is reading are in, and the pass reads no further batch
 * until no slow work runs or waits. The validate loop runs the two on lanes of their own, so a fault found by a
 * two-second check is not reported a minute late behind a pass; the pass gives way between batches, so the database
 * still sees one of them at a time beside the changed records' checks.
 */
final class SlowChecksFirst implements PassGate {
    private int slowRunning;
    private int slowWaiting;
    private int batchesReading;

    /** Slow work starts: waits for the batches being read, then holds every pass back until {@link #finished()}. */
    synchronized void started() {
        slowWaiting++;
        try {
            while (batchesReading > 0) {
                if (!await()) {
                    break;
                }
            }
        } finally {
            slowWaiting--;
        }
        slowRunning++;
    }

    synchronized void finished() {
        slowRunning--;
        notifyAll();
    }

    @Override
    public synchronized void beforeRead() {
        while (slowRunning > 0 || slowWaiting > 0) {
            if (!await()) {
                break;
            }
        }
        batchesReading++;
    }

    @Override
    public synchronized void afterRead() {
        batchesReading--;
        notifyAll();
    }

    /** Waits for a change; false when interrupted (the flag is kept and the caller goes on). */
    private boolean await() {
        try {
            wait();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
