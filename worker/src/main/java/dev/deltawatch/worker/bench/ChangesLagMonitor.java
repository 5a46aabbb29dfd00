package dev.deltawatch.worker.bench;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * How far the validate loop is behind the database, seen from outside the worker: a reader of the changes topic
 * notes each event's commit time and when it arrived (capture's part: commit to published), and once a second the
 * validate group's committed offsets are compared with the topic's end (records not yet consumed) and with the
 * commit time of the first of them (its age: commit to consumed, to the second). {@link #window()} hands over
 * the maxima since the last call.
 */
final class ChangesLagMonitor implements AutoCloseable {
    /** Maxima of one window: commit to consumed in seconds, and records behind. */
    record Window(double lagMaxS, long lagMaxRecords) {}

    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    private final KafkaAddress kafka;
    private final String topic;
    private final String group;
    private final Thread thread;
    private final Map<TopicPartition, NavigableMap<Long, Long>> commitMillis = new HashMap<>();
    private volatile boolean running = true;
    private double lagMaxS;
    private long lagMaxRecords;
    private volatile long currentRecords = -1;
    /** Readings of the group's offsets that timed out (each retried a second later); told on close. */
    private volatile int missedChecks;

    ChangesLagMonitor(KafkaAddress kafka, String topic, String group) {
        this.kafka = kafka;
        this.topic = topic;
        this.group = group;
        this.thread = new Thread(this::run, "bench-changes-lag");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    synchronized Window window() {
        Window w = new Window(lagMaxS, lagMaxRecords);
        lagMaxS = 0;
        lagMaxRecords = 0;
        return w;
    }

    private synchronized void note(double lagS, long lagRecords) {
        lagMaxS = Math.max(lagMaxS, lagS);
        lagMaxRecords = Math.max(lagMaxRecords, lagRecords);
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> reader = KafkaClients.groupless(kafka, "bench-changes-lag");
             Admin admin = KafkaClients.admin(kafka)) {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                partitions = partitionsOf(reader, topic);
                if (partitions.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            reader.assign(partitions);
            // From the group's position on: the first check then already sees a backlog the worker has not read.
            reader.seekToBeginning(partitions);
            partitions.forEach(tp -> commitMillis.put(tp, new TreeMap<>()));
            long nextCheck = System.nanoTime();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(100))) {
                    ChangeEvent e = Contracts.decode(r.value(), ChangeEvent.class);
                    if (e.source() == null || e.source().commitTime() == null) {
                        continue;
                    }
                    long commit = e.source().commitTime().toEpochMilli();
                    commitMillis.get(new TopicPartition(r.topic(), r.partition())).put(r.offset(), commit);
                    note((System.currentTimeMillis() - commit) / 1000.0, 0); // capture's part: commit to published
                }
                if (System.nanoTime() >= nextCheck) {
                    nextCheck = System.nanoTime() + CHECK_EVERY_NANOS;
                    try {
                        checkGroup(admin, reader, partitions);
                    } catch (RetriableException | ExecutionException e) {
                        if (e instanceof ExecutionException && !(e.getCause() instanceof RetriableException)) {
                            throw e;
                        }
                        // A broker slow to answer on a loaded machine: the next check asks again (the figures
                        // are maxima over the round, so one missed reading loses nothing but that second).
                        missedChecks++;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                System.err.println("bench always-on: the changes lag monitor stopped: " + e.getMessage());
            }
        } catch (Exception e) {
            System.err.println("bench always-on: the changes lag monitor stopped: " + e.getMessage());
        }
    }

    /** The topic's partitions, or none while it does not exist yet (capture creates it when it starts). */
    static List<TopicPartition> partitionsOf(KafkaConsumer<String, byte[]> c, String topic) {
        try {
            return c.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return List.of();
        }
    }

    private void checkGroup(Admin admin, KafkaConsumer<String, byte[]> reader, List<TopicPartition> partitions)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> end = reader.endOffsets(partitions);
        long now = System.currentTimeMillis();
        long records = 0;
        double oldestS = 0;
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            if (c == null) {
                continue; // the group has not committed here yet (a worker is not running): no lag to judge
            }
            long behind = Math.max(0, end.get(tp) - c.offset());
            records += behind;
            NavigableMap<Long, Long> times = commitMillis.get(tp);
            Map.Entry<Long, Long> first = times.ceilingEntry(c.offset());
            if (behind > 0 && first != null) {
                oldestS = Math.max(oldestS, (now - first.getValue()) / 1000.0);
            }
            times.headMap(c.offset(), false).clear();
        }
        note(oldestS, records);
        currentRecords = committed.isEmpty() ? -1 : records;
    }

    /**
     * Waits until the validate group is at most {@code records} behind (it has committed and caught up), or
     * {@code timeout} passed; returns whether it caught up.
     */
    boolean awaitCaughtUp(long records, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long now = currentRecords;
            if (now >= 0 && now <= records) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        if (missedChecks > 0) {
            System.err.println("bench always-on: " + missedChecks + " readings of the worker's lag timed out and were "
                    + "taken again a second later");
        }
    }
}
