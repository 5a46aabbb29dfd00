package dev.deltawatch.worker.capture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What capture needs besides the target: names of the slot, publication and topics, and the engine's tuning.
 * Keys are {@code deltawatch.capture.*}; {@code deltawatch.capture.debezium.*} goes to the engine unchanged
 * (and wins over everything capture sets itself).
 *
 * @param slotName            the logical replication slot (kept on a normal stop, dropped by {@code capture drop-slot})
 * @param publicationName     the pre-created publication over the watched, audit and heartbeat tables
 * @param topic               where {@code ChangeEvent}s go
 * @param offsetTopic         Debezium's offsets (Kafka-backed, compacted)
 * @param schemaMode          how DDL is seen
 * @param catalogPollInterval how often the polling mode fingerprints the catalog
 * @param heartbeatInterval   Debezium heartbeat period (lets a quiet database advance the slot)
 * @param standbyRetry        how often a standby capture retries the per-database lock
 * @param maxBatchSize        Debezium {@code max.batch.size}
 * @param maxQueueSize        Debezium {@code max.queue.size}
 * @param enginePollInterval  Debezium {@code poll.interval.ms}
 * @param producerLinger      the capture producer's {@code linger.ms}
 * @param debezium            raw engine properties, applied last
 * @param deadLetterTopic     where captured rows that cannot be mapped to a change event go, with the reason
 * @param settingsPollInterval how often capture re-reads what no event trigger reports: database- and role-level
 *                            planner settings, and the watched tables' replica identity
 */
public record CaptureSettings(String slotName, String publicationName, String topic, String offsetTopic,
                              SchemaMode schemaMode, Duration catalogPollInterval, Duration heartbeatInterval,
                              Duration standbyRetry, int maxBatchSize, int maxQueueSize, Duration enginePollInterval,
                              Duration producerLinger, Map<String, String> debezium, String deadLetterTopic,
                              Duration settingsPollInterval) {

    public static final String PREFIX = "deltawatch.capture.";
    public static final String DEBEZIUM_PREFIX = PREFIX + "debezium.";
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public CaptureSettings {
        debezium = Map.copyOf(debezium);
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(slotName).matches()) {
            problems.add(invalid("slot.name", slotName, "must match [a-z_][a-z0-9_]{0,62}"));
        }
        if (!NAME.matcher(publicationName).matches()) {
            problems.add(invalid("publication.name", publicationName, "must match [a-z_][a-z0-9_]{0,62}"));
        }
        if (topic.isBlank() || offsetTopic.isBlank() || deadLetterTopic == null || deadLetterTopic.isBlank()) {
            problems.add(invalid("topic", topic + "/" + offsetTopic + "/" + deadLetterTopic,
                    "topics must not be blank"));
        }
        if (maxQueueSize <= maxBatchSize) {
            problems.add(invalid("max.queue.size", String.valueOf(maxQueueSize), "must be > max.batch.size ("
                    + maxBatchSize + ")"));
        }
        for (var d : Map.of("catalog.poll.interval.ms", catalogPollInterval, "heartbeat.interval.ms", heartbeatInterval,
                "standby.retry.ms", standbyRetry, "engine.poll.interval.ms", enginePollInterval,
                "settings.poll.interval.ms", settingsPollInterval).entrySet()) {
            if (d.getValue().isNegative() || d.getValue().isZero()) {
                problems.add(invalid(d.getKey(), d.getValue().toMillis() + "", "must be >= 1"));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Defaults tuned on a 2-core machine (see the capture benchmark). */
    public static CaptureSettings defaults() {
        return new CaptureSettings("deltawatch", "deltawatch", "deltawatch.changes", "deltawatch.capture.offsets",
                SchemaMode.AUTO, Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(5), 4096, 16384,
                Duration.ofMillis(20), Duration.ofMillis(5), Map.of(), "deltawatch.dlq", Duration.ofSeconds(10));
    }

    public CaptureSettings withNames(String slot, String publication, String changesTopic, String offsets) {
        return new CaptureSettings(slot, publication, changesTopic, offsets, schemaMode, catalogPollInterval,
                heartbeatInterval, standbyRetry, maxBatchSize, maxQueueSize, enginePollInterval, producerLinger,
                debezium, deadLetterTopic, settingsPollInterval);
    }

    public CaptureSettings withSchemaMode(SchemaMode mode, Duration pollInterval) {
        return new CaptureSettings(slotName, publicationName, topic, offsetTopic, mode, pollInterval,
                heartbeatInterval, standbyRetry, maxBatchSize, maxQueueSize, enginePollInterval, producerLinger,
                debezium, deadLetterTopic, settingsPollInterval);
    }

    public CaptureSettings withTiming(Duration heartbeat, Duration standby) {
        return new CaptureSettings(slotName, publicationName, topic, offsetTopic, schemaMode, catalogPollInterval,
                heartbeat, standby, maxBatchSize, maxQueueSize, enginePollInterval, producerLinger, debezium,
                deadLetterTopic, settingsPollInterval);
    }

    public CaptureSettings withTuning(int batchSize, int queueSize, Duration enginePoll, Duration linger) {
        return new CaptureSettings(slotName, publicationName, topic, offsetTopic, schemaMode, catalogPollInterval,
                heartbeatInterval, standbyRetry, batchSize, queueSize, enginePoll, linger, debezium, deadLetterTopic,
                settingsPollInterval);
    }

    public CaptureSettings withDebezium(Map<String, String> properties) {
        return new CaptureSettings(slotName, publicationName, topic, offsetTopic, schemaMode, catalogPollInterval,
                heartbeatInterval, standbyRetry, maxBatchSize, maxQueueSize, enginePollInterval, producerLinger,
                properties, deadLetterTopic, settingsPollInterval);
    }

    public CaptureSettings withDeadLetterTopic(String topic) {
        return new CaptureSettings(slotName, publicationName, this.topic, offsetTopic, schemaMode, catalogPollInterval,
                heartbeatInterval, standbyRetry, maxBatchSize, maxQueueSize, enginePollInterval, producerLinger,
                debezium, topic, settingsPollInterval);
    }

    /** How often planner settings and replica identity are re-read while capture runs. */
    public CaptureSettings withSettingsPoll(Duration interval) {
        return new CaptureSettings(slotName, publicationName, topic, offsetTopic, schemaMode, catalogPollInterval,
                heartbeatInterval, standbyRetry, maxBatchSize, maxQueueSize, enginePollInterval, producerLinger,
                debezium, deadLetterTopic, interval);
    }

    private static String invalid(String key, String value, String rule) {
        return "Invalid value " + value + " for configuration " + PREFIX + key + ": " + rule;
    }
}
