package dev.deltawatch.worker.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A consumer of the changes topic on its own thread: counts delta events, remembers when the last one arrived,
 * and (inside the latency window) records commit-to-consume latency from each event's commit time.
 */
final class ChangeStreamProbe implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Histogram latency = new Histogram(3_600_000_000L, 3);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean measuring;
    private volatile long deltaEvents;
    private volatile long lastArrivalNanos;
    private volatile long markAt = -1;
    private volatile long markedArrivalNanos;

    ChangeStreamProbe(KafkaAddress kafka, String topic) {
        consumer = KafkaClients.consumer(kafka, "bench-" + topic, Map.of("max.poll.records", 5000));
        consumer.subscribe(List.of(topic));
        thread = new Thread(this::consume, "bench-capture-probe");
    }

    void start() {
        thread.start();
    }

    private void consume() {
        while (running) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                if (measuring) {
                    ChangeEvent e = Contracts.decode(r.value(), ChangeEvent.class);
                    if (e.kind() != ChangeEvent.Kind.DELTA_ROW) {
                        continue;
                    }
                    long micros = Duration.between(e.source().commitTime(), Instant.now()).toNanos() / 1000;
                    synchronized (latency) {
                        latency.recordValue(Math.max(0, micros));
                    }
                } else if (!isDeltaRow(r.value())) {
                    continue;
                }
                lastArrivalNanos = System.nanoTime();
                deltaEvents++;
                if (deltaEvents == markAt) {
                    markedArrivalNanos = lastArrivalNanos;
                }
            }
        }
    }

    /**
     * The kind of an event without binding all of it: the throughput run only counts delta rows, and a full
     * decode of every event here took CPU from the capture being measured on the same cores.
     */
    static boolean isDeltaRow(byte[] json) {
        try (JsonParser p = Contracts.mapper().getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if ("kind".equals(name)) {
                    return ChangeEvent.Kind.DELTA_ROW.name().equals(p.getText());
                }
                p.skipChildren();
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("bench capture: a change event is not JSON: " + e.getMessage(), e);
        }
    }

    void startLatencyWindow() {
        measuring = true;
    }

    void awaitDeltaEvents(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (deltaEvents < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + deltaEvents + " of " + count + " delta events arrived within "
                        + timeout);
            }
            Thread.sleep(5);
        }
    }

    long deltaEvents() {
        return deltaEvents;
    }

    /** Remembers when the {@code count}-th delta event arrives (see {@link #markedArrivalNanos()}). */
    void markArrivalOf(long count) {
        markAt = count;
    }

    long markedArrivalNanos() {
        return markedArrivalNanos;
    }

    long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    Histogram latency() {
        synchronized (latency) {
            return latency.copy();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread.isAlive()) {
            thread.join(5000);
        }
        consumer.close();
    }
}
