package dev.deltawatch.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A pass waits at the gate while any slow batch runs, and goes on once the last one finished. */
class SlowChecksFirstTest {

    @Test
    void aPassWaitsWhileSlowBatchesRunAndGoesOnAfterTheLast() throws Exception {
        SlowChecksFirst gate = new SlowChecksFirst();
        gate.awaitTurn(); // nothing slow runs: no wait
        gate.started();
        gate.started();
        CompletableFuture<Void> pass = CompletableFuture.runAsync(gate::awaitTurn);
        Thread.sleep(300);
        assertThat(pass).as("two slow batches run").isNotDone();
        gate.finished();
        Thread.sleep(300);
        assertThat(pass).as("one slow batch still runs").isNotDone();
        gate.finished();
        pass.get(5, TimeUnit.SECONDS);
    }
}
