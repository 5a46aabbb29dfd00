package dev.deltawatch.worker.publish;

import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Finding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes transitions to the compacted findings topic, keyed by fingerprint, and waits for the broker's
 * acknowledgement: the topic is the lifecycle's memory, so a transition that is not on it did not happen.
 * The key decides the partition, so every transition of one finding stays in order on one partition.
 */
public final class KafkaFindingSink implements FindingSink {
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    private final Producer<String, byte[]> producer;
    private final String topic;

    /** The producer is shared and owned by the caller; {@link #close} does not close it. */
    public KafkaFindingSink(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void publish(Finding finding) {
        publish(List.of(finding));
    }

    /** Sends all, then waits for each acknowledgement in turn, within one deadline for the whole list. */
    @Override
    public void publish(List<Finding> findings) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            acks.add(producer.send(new ProducerRecord<>(topic, f.fingerprint(), Contracts.encode(f))));
        }
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        for (int i = 0; i < acks.size(); i++) {
            awaitAck(findings.get(i), acks.get(i), deadline);
        }
    }

    private void awaitAck(Finding finding, Future<RecordMetadata> ack, long deadline) {
        try {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish finding " + finding.fingerprint() + " to " + topic
                    + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot publish finding " + finding.fingerprint() + " to " + topic
                    + ": no acknowledgement within " + ACK_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing finding " + finding.fingerprint(), e);
        }
    }
}
