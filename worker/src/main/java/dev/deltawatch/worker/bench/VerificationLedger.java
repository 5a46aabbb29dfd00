package dev.deltawatch.worker.bench;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.ContractException;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.worker.check.merge.DifferentialMergeCheck;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The reliability scenarios' accounting, read from the worker's own topics: which record versions capture
 * published, which of them a completed differential merge run covered, and whether any finding transition was
 * announced twice.
 *
 * <p>A version counts as verified when a {@code merge.differential} run that completed (PASSED or FAILED, not
 * ERROR) named its record, or covered every record (a pass, which absorbs the record changes queued with it), and
 * started after the version committed: that run read the version or a later one.
 */
public final class VerificationLedger {
    private static final String DIFFERENTIAL = "merge.differential";

    private final KafkaAddress kafka;
    private final String changes;
    private final String checkRuns;
    private final String findings;

    public VerificationLedger(KafkaAddress kafka, String changes, String checkRuns, String findings) {
        this.kafka = kafka;
        this.changes = changes;
        this.checkRuns = checkRuns;
        this.findings = findings;
    }

    /**
     * What the topics hold now; {@code opened}: merged-value findings opened. Records that fail the same way are one
     * defect, so one broken merge function opens one such finding however many records show it.
     */
    public record Tally(int captured, int verified, List<String> unverifiedExamples, int announcements,
                        int duplicateAnnouncements, int opened) {}

    /** Reads the three topics from the beginning to their current end. */
    public Tally tally() {
        Map<String, Instant> versions = new HashMap<>(); // "key@version" -> commit time
        readAll(changes, ChangeEvent.class, e -> {
            if (e.kind() == ChangeEvent.Kind.DELTA_ROW && e.after() != null && e.after().version() != null) {
                versions.putIfAbsent(e.recordKey() + "@" + e.after().version(), e.source().commitTime());
            }
        });
        Map<String, Instant> lastVerifiedStart = new HashMap<>();
        Instant[] lastPassStart = {Instant.MIN};
        readAll(checkRuns, CheckRun.class, r -> {
            if (!r.check().equals(DIFFERENTIAL)
                    || r.outcome() != CheckRun.Outcome.PASSED && r.outcome() != CheckRun.Outcome.FAILED) {
                return;
            }
            if (r.scope().kind() == CheckScope.Kind.RECORDS) {
                for (String id : r.scope().ids()) {
                    lastVerifiedStart.merge(id, r.startedAt(), (a, b) -> a.isAfter(b) ? a : b);
                }
            } else if (r.scope().kind() == CheckScope.Kind.ALL && r.startedAt().isAfter(lastPassStart[0])) {
                lastPassStart[0] = r.startedAt();
            }
        });
        int verified = 0;
        List<String> unverified = new ArrayList<>();
        for (Map.Entry<String, Instant> v : versions.entrySet()) {
            String key = v.getKey().substring(0, v.getKey().lastIndexOf('@'));
            Instant started = lastVerifiedStart.getOrDefault(key, Instant.MIN);
            started = started.isAfter(lastPassStart[0]) ? started : lastPassStart[0];
            if (!started.equals(Instant.MIN) && (v.getValue() == null || !started.isBefore(v.getValue()))) {
                verified++;
            } else if (unverified.size() < 10) {
                unverified.add(v.getKey());
            }
        }
        Map<String, FindingStatus> lastStatus = new HashMap<>();
        int[] counts = new int[3]; // announcements, duplicates, opened
        readAll(findings, Finding.class, f -> {
            counts[0]++;
            if (f.status() == lastStatus.put(f.fingerprint(), f.status())) {
                counts[1]++;
            }
            // The records' defect only: the worker's start-up pass adds the battery's findings on the merge function.
            if (f.status() == FindingStatus.OPENED && f.rule().equals(DifferentialMergeCheck.RULE)) {
                counts[2]++;
            }
        });
        return new Tally(versions.size(), verified, unverified, counts[0], counts[1], counts[2]);
    }

    private <T> void readAll(String topic, Class<T> type, Consumer<T> sink) {
        try (KafkaConsumer<String, byte[]> c = KafkaClients.groupless(kafka, "deltawatch-ledger")) {
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return;
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            Set<TopicPartition> done = new HashSet<>();
            while (done.size() < partitions.size()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        try {
                            sink.accept(Contracts.decode(r.value(), type));
                        } catch (ContractException e) {
                            // not ours to judge here: the validate loop dead-letters such records
                        }
                    }
                }
                for (TopicPartition tp : partitions) {
                    if (c.position(tp) >= end.get(tp)) {
                        done.add(tp);
                    }
                }
            }
        }
    }
}
