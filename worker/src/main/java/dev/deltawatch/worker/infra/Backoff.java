package dev.deltawatch.worker.infra;

import java.time.Duration;

/**
 * Exponential reconnect delays: initial, doubling up to a ceiling, back to initial after a success. A worker that
 * lost PostgreSQL or Kafka retries quickly at first and then settles at the ceiling, never in a tight loop.
 * Not thread-safe: one owner.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + ", " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The reconnect policy of the worker's long-running parts: 1 s doubling to 30 s. */
    public static Backoff reconnect() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** The delay to wait now; the one after it is twice as long, up to the ceiling. */
    public Duration next() {
        Duration now = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return now;
    }

    /** Call after a success: the next failure waits the initial delay again. */
    public void reset() {
        next = initial;
    }
}
