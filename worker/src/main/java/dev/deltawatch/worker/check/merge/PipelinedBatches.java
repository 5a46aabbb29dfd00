package dev.deltawatch.worker.check.merge;

import dev.deltawatch.worker.check.merge.MergeRecordReader.MergeRow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Overlaps database and oracle work: while the reader's thread waits for batch N+1 from PostgreSQL, one worker
 * thread judges batch N. At most two batches are held in memory beyond the one being fetched, so a full scan
 * stays bounded. Results keep the order of the batches.
 */
final class PipelinedBatches<R> implements AutoCloseable {
    private final Function<List<MergeRow>, List<R>> judge;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "merge-oracle");
        t.setDaemon(true);
        return t;
    });
    private final List<R> results = new ArrayList<>();
    private Future<List<R>> pending;

    PipelinedBatches(Function<List<MergeRow>, List<R>> judge) {
        this.judge = judge;
    }

    /** Hands a batch to the worker after collecting the previous one (the back-pressure that bounds memory). */
    void submit(List<MergeRow> batch) {
        collect();
        pending = worker.submit(() -> judge.apply(batch));
    }

    List<R> finish() {
        collect();
        return results;
    }

    private void collect() {
        if (pending == null) {
            return;
        }
        try {
            results.addAll(pending.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while judging merged records", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re
                    : new IllegalStateException("judging merged records failed: " + e.getCause(), e.getCause());
        } finally {
            pending = null;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
