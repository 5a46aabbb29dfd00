package dev.deltawatch.worker.publish;

import dev.deltawatch.worker.infra.WorkerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends change events that cannot be decoded to {@code deltawatch.dlq}, byte for byte, with why and where in
 * headers, so the consumer can go on and a person can replay them after a fix. Waits for the acknowledgement:
 * the router commits the offset of a poisoned record only after it is safely parked.
 */
public final class DeadLetterWriter {
    public static final String REASON = "deltawatch.dlq.reason";
    public static final String SOURCE_TOPIC = "deltawatch.dlq.source.topic";
    public static final String SOURCE_PARTITION = "deltawatch.dlq.source.partition";
    public static final String SOURCE_OFFSET = "deltawatch.dlq.source.offset";
    private static final int MAX_REASON_CHARS = 1000;

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final WorkerMetrics metrics;

    public DeadLetterWriter(Producer<String, byte[]> producer, String topic, WorkerMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
    }

    /** Parks {@code record} with {@code reason} (one line, e.g. the decoder's message naming the bad field). */
    public void write(ConsumerRecord<String, byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, utf8(oneLine(reason)));
        headers.add(SOURCE_TOPIC, utf8(record.topic()));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(record.offset())));
        record.headers().forEach(h -> headers.add(h.key(), h.value()));
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(topic, null, record.key(), record.value(), headers);
        try {
            producer.send(out).get(30, TimeUnit.SECONDS);
            metrics.deadLettered();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to dead-letter topic " + topic + ": "
                    + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot write to dead-letter topic " + topic + ": no ack in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to dead-letter topic " + topic, e);
        }
    }

    private static String oneLine(String reason) {
        String r = reason == null || reason.isBlank() ? "unknown" : reason.replace('\n', ' ').replace('\r', ' ');
        return r.length() > MAX_REASON_CHARS ? r.substring(0, MAX_REASON_CHARS) : r;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
