package dev.deltawatch.worker.capture;

import dev.deltawatch.worker.publish.DeadLetterWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Builds the dead letter of a captured row that could not be mapped: Debezium's change record rendered as plain JSON
 * (so a person can read and replay it after a fix), keyed by its Debezium topic, with the same reason and source
 * headers the router's dead letters carry ({@link DeadLetterWriter}); the source offset is the change's LSN.
 */
final class CaptureDeadLetters {
    private static final int MAX_REASON_CHARS = 1000;
    private final String topic;
    private final JsonConverter json = new JsonConverter();

    CaptureDeadLetters(String topic) {
        this.topic = topic;
        json.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
    }

    String topic() {
        return topic;
    }

    ProducerRecord<String, byte[]> of(SourceRecord record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterWriter.REASON, utf8(oneLine(reason)));
        headers.add(DeadLetterWriter.SOURCE_TOPIC, utf8(String.valueOf(record.topic())));
        Object lsn = record.sourceOffset() == null ? null : record.sourceOffset().get("lsn");
        if (lsn instanceof Number n) {
            headers.add(DeadLetterWriter.SOURCE_OFFSET, utf8(Lsn.format(n.longValue())));
        }
        return new ProducerRecord<>(topic, null, record.topic(), value(record), headers);
    }

    private byte[] value(SourceRecord record) {
        try {
            return json.fromConnectData(record.topic(), record.valueSchema(), record.value());
        } catch (RuntimeException e) {
            return utf8("{\"unrenderable\": \"" + e.getClass().getSimpleName() + "\"}");
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
