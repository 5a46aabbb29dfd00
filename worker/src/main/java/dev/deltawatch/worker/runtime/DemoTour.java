package dev.deltawatch.worker.runtime;

import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The guided tour: injects one regression per family from the fault catalog into a running target, waits for
 * the finding the worker publishes, reverts the regression with the reference definition, and waits for the
 * RESOLVED message. Detection latency is measured from the fault's commit to the finding's publication (the
 * Kafka record's timestamp).
 */
public final class DemoTour {

    /** One injected regression and the reference object that undoes it. */
    public record Fault(String family, String story, String resource, String revertObject) {}

    /** What happened to one fault. {@code latency} is empty when nothing was detected in time. */
    public record Outcome(Fault fault, Optional<Duration> latency, Finding finding, boolean resolved) {
        public boolean detected() {
            return latency.isPresent();
        }
    }

    public static final List<Fault> TOUR = List.of(
            new Fault("merge", "a migration makes pfa_merge delete a key on JSON null (the contract says override)",
                    "faults/merge/02_delta_null_deletes.sql", "pfa_merge"),
            new Fault("plan", "a cleanup migration drops the composite (organization_id, merged_category) index",
                    "faults/plan/01_composite_index_dropped.sql", "idx_pfa_org_category"),
            new Fault("lock", "the write path stops bumping the version",
                    "faults/lock/02_version_not_incremented.sql", "pfa_update_delta"));

    private final DataSource target;
    private final KafkaAddress kafka;
    private final String findingsTopic;
    private final PrintStream out;
    private final Duration timeout;
    private final Duration settle;

    /**
     * @param settle pause after each fault's RESOLVED, so the checks its revert triggered have finished before the
     *               next fault is injected (the benchmark measures detection, not queueing behind its own tour)
     */
    public DemoTour(DataSource target, KafkaAddress kafka, String findingsTopic, PrintStream out, Duration timeout,
                    Duration settle) {
        this.target = target;
        this.kafka = kafka;
        this.findingsTopic = findingsTopic;
        this.out = out;
        this.timeout = timeout;
        this.settle = settle;
    }

    public List<Outcome> run() throws SQLException, IOException, InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> feed = KafkaClients.consumer(kafka, "deltawatch-demo-" + System.nanoTime(),
                Map.of())) {
            List<TopicPartition> partitions = feed.partitionsFor(findingsTopic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            feed.assign(partitions);
            feed.seekToEnd(partitions);
            partitions.forEach(tp -> feed.position(tp));
            for (Fault fault : TOUR) {
                outcomes.add(tour(feed, fault));
                Thread.sleep(settle.toMillis());
            }
        }
        return outcomes;
    }

    private Outcome tour(KafkaConsumer<String, byte[]> feed, Fault fault) throws SQLException, IOException,
            InterruptedException {
        say("\n== " + fault.family() + ": " + fault.story());
        Instant committed = execute(resource(fault.resource()));
        say("   injected " + fault.resource() + "; waiting for the finding...");
        Optional<ConsumerRecord<String, Finding>> opened = await(feed, f -> f.family().equals(fault.family())
                && (f.status() == FindingStatus.OPENED || f.status() == FindingStatus.REGRESSED)
                && f.severity().failsPipeline());
        if (opened.isEmpty()) {
            say("   NOT DETECTED within " + timeout.toSeconds() + " s");
            execute(ReferenceTarget.originalDefinition(fault.revertObject()));
            return new Outcome(fault, Optional.empty(), null, false);
        }
        Finding finding = opened.get().value();
        Duration latency = Duration.between(committed, Instant.ofEpochMilli(opened.get().timestamp()));
        say("   detected in " + latency.toMillis() + " ms (commit -> finding published):\n");
        finding.markdown().lines().limit(25).forEach(l -> say("     " + l));
        say("\n   reverting with the reference definition of " + fault.revertObject() + "...");
        execute(ReferenceTarget.originalDefinition(fault.revertObject()));
        boolean resolved = await(feed, f -> f.fingerprint().equals(finding.fingerprint())
                && f.status() == FindingStatus.RESOLVED).isPresent();
        say(resolved ? "   RESOLVED: " + finding.title() : "   not resolved within " + timeout.toSeconds() + " s");
        return new Outcome(fault, Optional.of(latency), finding, resolved);
    }

    private Optional<ConsumerRecord<String, Finding>> await(KafkaConsumer<String, byte[]> feed, Predicate<Finding> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : feed.poll(Duration.ofMillis(200))) {
                Finding f = Contracts.decode(r.value(), Finding.class);
                if (wanted.test(f)) {
                    return Optional.of(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(),
                            r.timestampType(), r.serializedKeySize(), r.serializedValueSize(), r.key(), f,
                            r.headers(), r.leaderEpoch()));
                }
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return Optional.empty();
    }

    /** Runs a script in autocommit; returns when it committed. */
    private Instant execute(String sql) throws SQLException {
        try (Connection c = target.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute(sql);
            return Instant.now();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DemoTour.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("fault catalog entry " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void say(String line) {
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }
}
