package dev.deltawatch.worker.bench;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/ready} sampled every 250 ms in the background, so a scenario can ask what it said when. A probe
 * takes up to a few seconds to answer, so each sample keeps when it was asked and when it was answered.
 */
public final class ReadinessTimeline implements AutoCloseable {
    public record Sample(Instant asked, Instant answered, boolean ready) {}

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ReadinessTimeline(BooleanSupplier ready) {
        thread = new Thread(() -> {
            while (running) {
                Instant asked = Instant.now();
                boolean answer = ready.getAsBoolean();
                samples.add(new Sample(asked, Instant.now(), answer));
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

    /** Samples asked and answered within {@code [from, to)}. */
    public List<Sample> between(Instant from, Instant to) {
        return samples.stream().filter(s -> !s.asked().isBefore(from) && s.answered().isBefore(to)).toList();
    }

    /** When the first sample asked at or after {@code from} that said ready was answered, or null. */
    public Instant firstReadyAfter(Instant from) {
        return samples.stream().filter(s -> s.ready() && !s.asked().isBefore(from)).map(Sample::answered).findFirst()
                .orElse(null);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
