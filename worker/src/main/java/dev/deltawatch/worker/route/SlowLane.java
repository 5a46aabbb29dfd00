package dev.deltawatch.worker.route;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One of the validate loop's background lanes, each on a thread of its own: the quick audits of the slow groups
 * ({@link CheckGroup#slow()}: the merge battery, plan audits, schema hygiene), seconds at most; their long probes and
 * samples ({@link CheckGroup#runsLong()}); passes of the record checks over every record, up to minutes at a million
 * records. The loop goes on verifying changed records meanwhile, and none of the three waits behind another. One
 * batch at most per lane: what arrives for a busy lane keeps coalescing in the loop's {@link Coalescer}, so a lane
 * never builds a queue.
 *
 * <p>The loop commits no offset past the oldest poll a running batch holds work from ({@link #heldSequence()}),
 * so at-least-once holds as before: a batch that failed keeps holding its sequence until the loop took the failure
 * ({@link #takeFailure()}) and rewound to the last commit. Thread-safe; the loop starts batches from its thread.
 */
final class SlowLane implements AutoCloseable {
    private final WorkDispatcher dispatcher;
    private final ChangeConsumerLoop.Listener listener;
    private final ExecutorService thread;
    private boolean busy;
    private java.util.Set<CheckGroup> running = java.util.Set.of();
    private long heldSequence = Long.MAX_VALUE;
    private Exception failure;

    SlowLane(String name, WorkDispatcher dispatcher, ChangeConsumerLoop.Listener listener) {
        this.dispatcher = dispatcher;
        this.listener = listener;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "deltawatch-validate-" + name);
            // Daemon: a stop abandons a batch still running after the drain window; its offsets stay uncommitted.
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether a batch is running (or failed and not yet taken): the loop starts another only when not. */
    synchronized boolean busy() {
        return busy || failure != null;
    }

    /**
     * Runs {@code work} on the lane; {@code sequence} is the oldest poll it holds work from.
     *
     * @throws IllegalStateException when the lane is {@link #busy()}
     */
    synchronized void start(List<Work> work, long sequence) {
        if (busy()) {
            throw new IllegalStateException("the lane is busy");
        }
        busy = true;
        running = work.stream().map(Work::group).collect(java.util.stream.Collectors.toUnmodifiableSet());
        heldSequence = sequence;
        thread.execute(() -> run(work));
    }

    private void run(List<Work> work) {
        Exception failed = null;
        try {
            dispatcher.dispatch(work);
            listener.dispatched(work);
        } catch (Exception e) {
            failed = e;
        } catch (Error e) {
            failed = new IllegalStateException(e);
        }
        synchronized (this) {
            busy = false;
            running = java.util.Set.of();
            failure = failed;
            if (failed == null) {
                heldSequence = Long.MAX_VALUE;
            }
            notifyAll();
        }
    }

    /** Whether the running batch holds work of {@code group}. */
    synchronized boolean runs(CheckGroup group) {
        return running.contains(group);
    }

    /** The oldest poll sequence the running (or failed) batch holds work from; {@code Long.MAX_VALUE} when none. */
    synchronized long heldSequence() {
        return heldSequence;
    }

    /** The failure of the last batch, once; after it the lane holds nothing and takes batches again. */
    synchronized Exception takeFailure() {
        Exception f = failure;
        if (f != null) {
            failure = null;
            heldSequence = Long.MAX_VALUE;
        }
        return f;
    }

    /** Waits until no batch is running, at most {@code timeout}; true when none is. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (busy) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
