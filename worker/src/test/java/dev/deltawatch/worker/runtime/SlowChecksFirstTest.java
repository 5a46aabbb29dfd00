package dev.deltawatch.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slow work waits for the batch a pass is reading; the pass reads no further batch while slow work runs or waits,
 * and goes on once the last finished.
 */
class SlowChecksFirstTest {

    @Test
    void slowWorkWaitsForTheBatchBeingReadAndThePassForAllSlowWork() throws Exception {
        SlowChecksFirst gate = new SlowChecksFirst();
        gate.beforeRead(); // nothing slow runs: the pass reads a batch at once
        CompletableFuture<Void> audit = CompletableFuture.runAsync(gate::started);
        Thread.sleep(300);
        assertThat(audit).as("slow work waits for the batch being read").isNotDone();
        gate.afterRead();
        audit.get(5, TimeUnit.SECONDS);
        gate.started(); // a second slow batch on another lane
        CompletableFuture<Void> nextBatch = CompletableFuture.runAsync(gate::beforeRead);
        Thread.sleep(300);
        assertThat(nextBatch).as("two slow batches run").isNotDone();
        gate.finished();
        Thread.sleep(300);
        assertThat(nextBatch).as("one slow batch still runs").isNotDone();
        gate.finished();
        nextBatch.get(5, TimeUnit.SECONDS);
        gate.afterRead();
    }
}
