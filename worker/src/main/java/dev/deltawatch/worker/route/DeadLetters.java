package dev.deltawatch.worker.route;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where change events go that cannot be handled (malformed JSON, an unknown schema version, a table this target
 * does not watch). Returns once the dead letter is durably stored, so the consumer may commit past it.
 */
@FunctionalInterface
public interface DeadLetters {
    void send(ConsumerRecord<String, byte[]> record, String reason) throws Exception;
}
