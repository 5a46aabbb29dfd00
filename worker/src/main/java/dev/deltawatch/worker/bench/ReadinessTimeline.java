package dev.deltawatch.worker.bench;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** {@code /health/ready} sampled every 250 ms in the background, so a scenario can ask what it said when. */
public final class ReadinessTimeline implements AutoCloseable {
    public record Sample(Instant at, boolean ready) {}

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ReadinessTimeline(BooleanSupplier ready) {
        thread = new Thread(() -> {
            while (running) {
                Instant at = Instant.now();
                samples.add(new Sample(at, ready.getAsBoolean()));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "deltawatch-readiness-timeline");
        thread.setDaemon(true);
        thread.start();
    }

    /** Samples taken in {@code [from, to)}. */
    public List<Sample> between(Instant from, Instant to) {
        return samples.stream().filter(s -> !s.at().isBefore(from) && s.at().isBefore(to)).toList();
    }

    /** The first sample at or after {@code from} that said ready, or null. */
    public Instant firstReadyAfter(Instant from) {
        return samples.stream().filter(s -> s.ready() && !s.at().isBefore(from)).map(Sample::at).findFirst()
                .orElse(null);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
