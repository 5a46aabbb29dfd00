package dev.deltawatch.worker.bench;

import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.findings.FindingBuilder;
import dev.deltawatch.worker.findings.FindingLifecycle;
import dev.deltawatch.worker.findings.MarkdownRenderer;
import dev.deltawatch.worker.findings.Observation;
import dev.deltawatch.worker.infra.EmbeddedKafkaBroker;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.publish.CompactedFindingState;
import dev.deltawatch.worker.publish.FeedTopics;
import dev.deltawatch.worker.publish.KafkaFindingSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code deltawatch bench findings}: the cost of the findings path. Lifecycle decisions per second on a
 * repeat-heavy stream (the steady state: most runs repeat open findings), Markdown rendering of a finding with
 * 1 MB of evidence, acknowledged publication latency on Kafka, and how long a starting worker takes to rebuild
 * its state from the compacted topic.
 */
@Command(name = "findings", mixinStandardHelpOptions = true,
        description = "Lifecycle, rendering, publication and state-rebuild cost of the findings feed; one JSON line.")
public final class FindingsBench implements Callable<Integer> {
    private static final int ACK_SAMPLE = 300;

    @Option(names = "--bootstrap", description = "Kafka to publish to; an embedded broker when absent")
    String bootstrap;

    @Option(names = "--fingerprints", defaultValue = "10000", description = "Distinct findings (default ${DEFAULT-VALUE})")
    int fingerprints;

    @Option(names = "--runs", defaultValue = "20", description = "Runs over all fingerprints (default ${DEFAULT-VALUE})")
    int runs;

    @Override
    public Integer call() throws Exception {
        List<Finding> findings = new ArrayList<>(fingerprints);
        for (int i = 0; i < fingerprints; i++) {
            findings.add(new FindingBuilder("merge", "merged-value-mismatch", Severity.HIGH, "bench",
                    new Subject("record", "public.pfa_records/" + i)).evidence("first differing path", "text",
                    "$.dates.start").evidence("JSON diff", "json", "{\"expected\":\"2025-01-0" + (i % 9) + "\"}")
                    .observedAt(Instant.now()).build());
        }
        FindingLifecycle lifecycle = new FindingLifecycle();
        Map<String, Finding> state = new HashMap<>();
        long decisions = 0;
        long started = System.nanoTime();
        for (int r = 0; r < runs; r++) {
            List<Observation> obs = findings.stream().map(Observation::fail).toList();
            FindingLifecycle.Decision d = lifecycle.decide(state, obs, Trigger.schedule(), Instant.now());
            state.putAll(d.changed());
            decisions += obs.size();
        }
        double decisionsPerSecond = decisions / ((System.nanoTime() - started) / 1e9);

        Finding huge = new FindingBuilder("edge", "large-payload", Severity.HIGH, "bench", new Subject("record", "x"))
                .evidence(Evidence.of("delta", "json", "{\"notes\":\"" + "x".repeat(1_048_576) + "\"}"))
                .observedAt(Instant.now()).build();
        MarkdownRenderer renderer = new MarkdownRenderer();
        double[] renderMs = new double[50];
        int maxChars = 0;
        for (int i = 0; i < renderMs.length; i++) {
            long t = System.nanoTime();
            Finding announced = lifecycle.step(null, Observation.fail(huge), null, Instant.now()).announcement();
            renderMs[i] = (System.nanoTime() - t) / 1e6;
            maxChars = Math.max(maxChars, renderer.render(announced).length());
        }

        double[] kafka = kafkaFigures(new ArrayList<>(state.values()));
        System.out.printf("{\"bench\":\"findings\",\"fingerprints\":%d,\"decisionsPerSecond\":%.0f,"
                        + "\"hugeEvidenceRenderP95Ms\":%.2f,\"markdownMaxChars\":%d,\"publishAckP50Ms\":%.2f,"
                        + "\"publishAckP95Ms\":%.2f,\"stateRebuildMs\":%.0f,\"stateRebuildFindings\":%.0f}%n",
                fingerprints, decisionsPerSecond, p95(renderMs), maxChars, kafka[0], kafka[1], kafka[2], kafka[3]);
        return 0;
    }

    /** p50 and p95 of acknowledged single publications, then the time to read all of them back as state. */
    private double[] kafkaFigures(List<Finding> findings) throws Exception {
        EmbeddedKafkaBroker embedded = bootstrap == null ? EmbeddedKafkaBroker.start() : null;
        try {
            KafkaAddress kafka = embedded != null ? embedded.address() : new KafkaAddress(bootstrap);
            FeedTopics topics = FeedTopics.prefixed("bench-" + System.currentTimeMillis());
            try (Admin admin = KafkaClients.admin(kafka);
                 KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "bench-findings", Map.of())) {
                topics.ensure(admin);
                KafkaFindingSink sink = new KafkaFindingSink(producer, topics.findings());
                // One-at-a-time acknowledged sends, as the publisher does them, for a sample; the rest in bulk.
                int sampled = Math.min(findings.size(), ACK_SAMPLE);
                double[] ack = new double[sampled];
                for (int i = 0; i < sampled; i++) {
                    long t = System.nanoTime();
                    sink.publish(findings.get(i));
                    ack[i] = (System.nanoTime() - t) / 1e6;
                }
                for (Finding f : findings.subList(sampled, findings.size())) {
                    producer.send(new ProducerRecord<>(topics.findings(), f.fingerprint(), Contracts.encode(f)));
                }
                producer.flush();
                long t = System.nanoTime();
                int rebuilt;
                try (CompactedFindingState state = new CompactedFindingState(kafka, topics.findings())) {
                    rebuilt = state.readNew().size();
                }
                double rebuildMs = (System.nanoTime() - t) / 1e6;
                Arrays.sort(ack);
                return new double[] {ack[ack.length / 2], p95(ack), rebuildMs, rebuilt};
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private static double p95(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
    }
}
