package dev.deltawatch.worker.publish;

import dev.deltawatch.contracts.ContractException;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.worker.findings.FeedLine;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows the findings topic and prints each transition: a readable line, or the finding's JSON on one line for
 * scripts. Reads every partition without a consumer group (tailing commits nothing, disturbs no worker).
 */
public final class FeedTail {
    /** How often a missing topic is looked up again. */
    private static final Duration TOPIC_POLL = Duration.ofMillis(500);

    /**
     * @param fromBeginning start at the oldest retained transition instead of the end
     * @param maxMessages   stop after this many (0: no limit)
     * @param untilEnd      stop at the end offsets seen at start, instead of following
     */
    public record Options(String topic, boolean json, boolean colour, boolean fromBeginning, int maxMessages,
                          boolean untilEnd) {}

    private FeedTail() {}

    /**
     * Prints until a stop condition holds or {@code stopped} says so; returns the number of findings printed. When
     * the topic does not exist yet (the worker creates it at its first start), it says so once on {@code err} and
     * waits for it; everything in a topic that appeared while waiting is new, so it is read from the beginning.
     * With {@code untilEnd} there is nothing to wait for: a missing topic is an empty one.
     */
    public static int run(KafkaAddress kafka, Options o, PrintWriter out, PrintWriter err, BooleanSupplier stopped)
            throws InterruptedException {
        try (KafkaConsumer<String, byte[]> c = KafkaClients.groupless(kafka, "deltawatch-findings-tail")) {
            List<TopicPartition> parts = partitions(c, o.topic());
            boolean appeared = false;
            if (parts.isEmpty()) {
                err.println("findings tail: topic " + o.topic() + " does not exist on " + kafka.bootstrapServers()
                        + (o.untilEnd() ? "; nothing to read" : " yet; waiting for it (a worker creates it at start)"));
                err.flush();
                if (o.untilEnd()) {
                    return 0;
                }
                while (parts.isEmpty()) {
                    if (stopped.getAsBoolean()) {
                        return 0;
                    }
                    Thread.sleep(TOPIC_POLL.toMillis());
                    parts = partitions(c, o.topic());
                }
                appeared = true;
            }
            c.assign(parts);
            if (o.fromBeginning() || appeared) {
                c.seekToBeginning(parts);
            } else {
                c.seekToEnd(parts);
            }
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            int printed = 0;
            while (!stopped.getAsBoolean()) {
                if (o.untilEnd() && parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                    break;
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    if (print(r, o, out, err)) {
                        printed++;
                        if (o.maxMessages() > 0 && printed >= o.maxMessages()) {
                            return printed;
                        }
                    }
                }
                out.flush();
            }
            return printed;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, String topic) {
        return c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static boolean print(ConsumerRecord<String, byte[]> r, Options o, PrintWriter out, PrintWriter err) {
        if (r.value() == null) {
            return false;
        }
        try {
            Finding f = Contracts.decode(r.value(), Finding.class);
            out.println(o.json() ? Contracts.encodeToString(f) : FeedLine.format(f, o.colour()));
            out.flush();
            return true;
        } catch (ContractException e) {
            err.println("findings tail: skipping unreadable record at " + r.topic() + "-" + r.partition() + "@"
                    + r.offset() + ": " + e.getMessage());
            return false;
        }
    }
}
