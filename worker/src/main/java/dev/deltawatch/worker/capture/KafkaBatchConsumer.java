package dev.deltawatch.worker.capture;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.Contracts;
import io.debezium.engine.DebeziumEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's batch consumer: sends every record of a batch to Kafka (idempotent producer), waits for every
 * acknowledgement, and only then marks the records processed and the batch finished. Debezium flushes offsets,
 * and so confirms the slot's position to PostgreSQL, only for marked records: the slot never advances past
 * what Kafka holds. A failed send throws, which stops the engine without marking the rest.
 *
 * <p>A record the mapper cannot turn into a change event (whatever the reason) goes to the dead-letter topic with
 * the reason instead, and is marked processed like any other once Kafka holds it: one bad row never stops capture.
 *
 * <p>Called by the engine from one thread at a time.
 */
final class KafkaBatchConsumer
        implements DebeziumEngine.ChangeConsumer<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatchConsumer.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final ChangeEventMapper mapper;
    private final CaptureDeadLetters deadLetters;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    /** Commit to acknowledged, in ms, of the newest change Kafka acknowledged; -1 before the first. */
    private final AtomicLong lagMillis = new AtomicLong(-1);
    private final Clock clock;
    private volatile boolean halted;

    KafkaBatchConsumer(Producer<String, byte[]> producer, String topic, ChangeEventMapper mapper,
                       String deadLetterTopic, Clock clock) {
        this.producer = producer;
        this.clock = clock;
        this.topic = topic;
        this.mapper = mapper;
        this.deadLetters = new CaptureDeadLetters(deadLetterTopic);
    }

    @Override
    public void handleBatch(List<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>>
                                    committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        boolean[] parked = new boolean[records.size()];
        Instant[] committedAt = new Instant[records.size()];
        for (int i = 0; i < records.size(); i++) {
            haltIfAsked();
            SourceRecord r = records.get(i).value();
            Optional<ChangeEvent> event;
            try {
                event = mapper.map(r);
            } catch (RuntimeException e) {
                // Whatever the mapper trips over is this record's problem, not the stream's: park it and go on.
                // The reason (in the dead letter's header) may quote row data; the log names only where it came from.
                LOG.warn("capture: a change from {} cannot be mapped ({}); parked on {} with the reason",
                        r == null ? "?" : r.topic(), e.getClass().getSimpleName(), deadLetters.topic());
                sends.add(r == null ? null : producer.send(deadLetters.of(r, reason(e))));
                parked[i] = true;
                continue;
            }
            committedAt[i] = event.map(e -> e.source().commitTime()).orElse(null);
            sends.add(event.map(e -> producer.send(new ProducerRecord<>(topic, e.partitionKey(), Contracts.encode(e))))
                    .orElse(null));
        }
        for (int i = 0; i < records.size(); i++) {
            Future<RecordMetadata> send = sends.get(i);
            if (send != null) {
                try {
                    send.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("capture: Kafka refused a change for topic "
                            + (parked[i] ? deadLetters.topic() : topic) + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                (parked[i] ? deadLettered : published).incrementAndGet();
                if (committedAt[i] != null) {
                    lagMillis.set(Math.max(0, clock.millis() - committedAt[i].toEpochMilli()));
                }
            }
            haltIfAsked();
            committer.markProcessed(records.get(i));
        }
        haltIfAsked();
        committer.markBatchFinished();
    }

    /** Captured rows parked on the dead-letter topic (acknowledged by Kafka) since start. */
    long deadLettered() {
        return deadLettered.get();
    }

    private static String reason(RuntimeException e) {
        return e instanceof UnmappableChange ? e.getMessage() : "capture: cannot map the change: " + e;
    }

    /** Events published (acknowledged by Kafka) since start. */
    long published() {
        return published.get();
    }

    /**
     * How long the newest acknowledged change took from its commit in PostgreSQL to Kafka's acknowledgement (the
     * capture's share of detection latency); null before the first change.
     */
    Duration lag() {
        long ms = lagMillis.get();
        return ms < 0 ? null : Duration.ofMillis(ms);
    }

    /** Stops acknowledging at once, as a crash would: nothing after this point is marked processed. */
    void halt() {
        halted = true;
    }

    private void haltIfAsked() throws InterruptedException {
        if (halted) {
            throw new InterruptedException("capture halted");
        }
    }
}
