package dev.deltawatch.worker.runtime;

import dev.deltawatch.worker.check.PassGate;

/**
 * The running worker's {@link PassGate}: a pass over every record reads its next batch only while no batch of the
 * slow groups (plan audits, lock probes, the merge battery, hygiene) runs. The validate loop runs the two on lanes
 * of their own, so a fault found by a two-second check is not reported a minute late behind a pass; the pass gives
 * way between batches, so the database still sees at most one of them at a time beside the changed records' checks.
 */
final class SlowChecksFirst implements PassGate {
    private int running;

    /** A slow batch starts; every pass waits at its next batch until {@link #finished()}. */
    synchronized void started() {
        running++;
    }

    synchronized void finished() {
        running--;
        notifyAll();
    }

    @Override
    public synchronized void awaitTurn() {
        while (running > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
