package dev.deltawatch.worker.publish;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Contracts;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every {@link CheckRun} to {@code deltawatch.check-runs}, keyed by check name (one check's runs stay in
 * order). Asynchronous: the audit log must not slow checks down; a failed send is logged once per failure.
 */
public final class CheckRunPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(CheckRunPublisher.class);
    private final Producer<String, byte[]> producer;
    private final String topic;

    /** The producer is shared and owned by the caller. */
    public CheckRunPublisher(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public void publish(CheckRun run) {
        producer.send(new ProducerRecord<>(topic, run.check(), Contracts.encode(run)), (meta, error) -> {
            if (error != null) {
                LOG.warn("check-runs: could not publish run {} of {}: {}", run.runId(), run.check(),
                        error.getMessage());
            }
        });
    }
}
