package dev.deltawatch.worker.target.load;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated users. Closed-loop scenarios: each user issues its next operation as soon as the last returns
 * (reads or writes by the scenario's read share). Bulk import: workers take batch numbers from a shared counter
 * and start batch k at {@code start + k * interval}; a worker that is late starts at once, and the batch's
 * latency still counts from its intended time.
 */
final class UserThreads {
    private final Workload workload;
    private final LoadOptions options;
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final AtomicLong nextBatch = new AtomicLong();
    private volatile boolean running = true;

    UserThreads(Workload workload, LoadOptions options) {
        this.workload = workload;
        this.options = options;
    }

    void start(long startNanos) {
        Scenario scenario = options.scenario();
        OperationStats writes = scenario.readShare() < 1 && !scenario.fixedRate()
                ? workload.register(Workload.WRITE_OP) : null;
        OperationStats bulk = scenario.fixedRate() ? workload.register(Workload.BULK_OP) : null;
        for (int u = 0; u < options.effectiveUsers(); u++) {
            SplittableRandom r = new SplittableRandom(LoadRunner.mix(options.seed(), u));
            Runnable body = scenario.fixedRate() ? () -> bulkWorker(startNanos, bulk)
                    : () -> closedLoop(r, scenario.readShare(), writes);
            Thread t = new Thread(body, "load-user-" + u);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        if (scenario.fixedRate()) {
            notes.add("fixed rate " + options.recordsPerMinute() + " records/min in batches of " + options.batchSize()
                    + "; latency measured from each batch's intended start (coordinated omission corrected)");
        } else {
            notes.add("closed loop: " + options.effectiveUsers() + " users without think time; latency is service "
                    + "time including the wait for a pooled connection");
        }
    }

    private void closedLoop(SplittableRandom r, double readShare, OperationStats writes) {
        while (running) {
            if (readShare >= 1 || r.nextDouble() < readShare) {
                workload.read(r);
            } else {
                workload.write(r, writes);
            }
        }
    }

    private void bulkWorker(long startNanos, OperationStats op) {
        long intervalNanos = Math.round(options.batchSize() * 60e9 / options.recordsPerMinute());
        long end = startNanos + options.duration().toNanos();
        while (running) {
            long k = nextBatch.getAndIncrement();
            long intended = startNanos + k * intervalNanos;
            if (intended >= end) {
                return;
            }
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LoadRunner.sleep(wait / 1_000_000);
                java.util.concurrent.locks.LockSupport.parkNanos(intended - System.nanoTime());
            }
            SplittableRandom r = new SplittableRandom(LoadRunner.mix(options.seed(), k));
            long[] ids = new long[options.batchSize()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = workload.draws().id(r);
            }
            ids = java.util.Arrays.stream(ids).distinct().toArray();
            workload.upsertBatch(ids, options.seed() + k, intended, op);
        }
    }

    void stop() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(35_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    List<String> notes() {
        return notes;
    }
}
