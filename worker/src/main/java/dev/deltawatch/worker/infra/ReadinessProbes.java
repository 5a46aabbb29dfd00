package dev.deltawatch.worker.infra;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.TreeMap;

/**
 * Named readiness probes that other components register ({@code database}, {@code kafka}, {@code capture}).
 * Ready means every probe answers {@code true} within the timeout; a probe that throws or hangs counts as
 * not ready. Probes run in parallel on a small daemon pool, so one hung probe cannot block the others.
 * Thread-safe.
 */
public final class ReadinessProbes implements AutoCloseable {
    private final Map<String, Supplier<Boolean>> probes = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "deltawatch-readiness-probe");
        t.setDaemon(true);
        return t;
    });

    public ReadinessProbes(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Adds or replaces the probe {@code name}. */
    public void register(String name, Supplier<Boolean> probe) {
        probes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(probe, "probe"));
    }

    public void unregister(String name) {
        probes.remove(name);
    }

    /** Each probe's answer, by name (sorted). Empty when none is registered. */
    public Map<String, Boolean> check() {
        Map<String, CompletableFuture<Boolean>> running = new LinkedHashMap<>();
        new TreeMap<>(probes).forEach((name, probe) -> running.put(name,
                CompletableFuture.supplyAsync(() -> Boolean.TRUE.equals(probe.get()), pool)
                        .completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionally(e -> false)));
        Map<String, Boolean> result = new LinkedHashMap<>();
        running.forEach((name, f) -> result.put(name, f.join()));
        return result;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
