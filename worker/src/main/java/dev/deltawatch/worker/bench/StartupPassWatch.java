package dev.deltawatch.worker.bench;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.ContractException;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * When a freshly started worker's start-up pass (every check once, on the schedule trigger) is over, read from its
 * check-runs topic: at least one scheduled run published since the start and none for {@code quiet}. A restart is
 * rare in an always-on deployment, so {@code bench always-on} measures after it, not through it.
 */
final class StartupPassWatch {
    private StartupPassWatch() {}

    /** Waits until the pass is over or {@code max} passed; returns the seconds waited. */
    static double await(KafkaAddress kafka, String checkRunsTopic, long sinceMs, Duration quiet, Duration max)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        long lastScheduledMs = -1;
        try (KafkaConsumer<String, byte[]> c = KafkaClients.groupless(kafka, "bench-startup-pass")) {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = ChangesLagMonitor.partitionsOf(c, checkRunsTopic);
                if (partitions.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.timestamp() >= sinceMs && r.value() != null && scheduled(r.value())) {
                        lastScheduledMs = Math.max(lastScheduledMs, r.timestamp());
                    }
                }
                if (lastScheduledMs > 0 && System.currentTimeMillis() - lastScheduledMs >= quiet.toMillis()) {
                    break;
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static boolean scheduled(byte[] json) {
        try {
            CheckRun run = Contracts.decode(json, CheckRun.class);
            return run.trigger() != null && run.trigger().reason() == Trigger.Reason.SCHEDULE;
        } catch (ContractException e) {
            return false;
        }
    }
}
