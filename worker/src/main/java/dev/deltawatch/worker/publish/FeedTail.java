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

    /**
     * @param fromBeginning start at the oldest retained transition instead of the end
     * @param maxMessages   stop after this many (0: no limit)
     * @param untilEnd      stop at the end offsets seen at start, instead of following
     */
    public record Options(String topic, boolean json, boolean colour, boolean fromBeginning, int maxMessages,
                          boolean untilEnd) {}

    private FeedTail() {}

    /** Prints until a stop condition holds or {@code stopped} says so; returns the number of findings printed. */
    public static int run(KafkaAddress kafka, Options o, PrintWriter out, PrintWriter err, BooleanSupplier stopped) {
        try (KafkaConsumer<String, byte[]> c = KafkaClients.groupless(kafka, "deltawatch-findings-tail")) {
            List<TopicPartition> parts = c.partitionsFor(o.topic(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(o.topic(), p.partition())).toList();
            if (parts.isEmpty()) {
                throw new IllegalStateException("topic " + o.topic() + " does not exist on " + kafka.bootstrapServers());
            }
            c.assign(parts);
            if (o.fromBeginning()) {
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
