package dev.deltawatch.worker.capture;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.Contracts;
import io.debezium.engine.DebeziumEngine;
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

/**
 * Debezium's batch consumer: sends every record of a batch to Kafka (idempotent producer), waits for every
 * acknowledgement, and only then marks the records processed and the batch finished. Debezium flushes offsets,
 * and so confirms the slot's position to PostgreSQL, only for marked records: the slot never advances past
 * what Kafka holds. A failed send throws, which stops the engine without marking the rest.
 *
 * <p>Called by the engine from one thread at a time.
 */
final class KafkaBatchConsumer
        implements DebeziumEngine.ChangeConsumer<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final ChangeEventMapper mapper;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean halted;

    KafkaBatchConsumer(Producer<String, byte[]> producer, String topic, ChangeEventMapper mapper) {
        this.producer = producer;
        this.topic = topic;
        this.mapper = mapper;
    }

    @Override
    public void handleBatch(List<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>>
                                    committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        for (var r : records) {
            haltIfAsked();
            Optional<ChangeEvent> event = mapper.map(r.value());
            sends.add(event.map(e -> producer.send(new ProducerRecord<>(topic, e.partitionKey(), Contracts.encode(e))))
                    .orElse(null));
        }
        for (int i = 0; i < records.size(); i++) {
            Future<RecordMetadata> send = sends.get(i);
            if (send != null) {
                try {
                    send.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("capture: Kafka refused a change for topic " + topic + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                published.incrementAndGet();
            }
            haltIfAsked();
            committer.markProcessed(records.get(i));
        }
        haltIfAsked();
        committer.markBatchFinished();
    }

    /** Events published (acknowledged by Kafka) since start. */
    long published() {
        return published.get();
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
