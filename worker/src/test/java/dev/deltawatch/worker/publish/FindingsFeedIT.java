package dev.deltawatch.worker.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.config.ContractSchemas;
import dev.deltawatch.worker.findings.FindingLifecycle;
import dev.deltawatch.worker.findings.MarkdownRenderer;
import dev.deltawatch.worker.findings.SampleFindings;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.infra.WorkerMetrics;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FindingsFeedIT {
    private static KafkaAddress kafka;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        kafka = TestInfrastructure.kafka();
        producer = KafkaClients.producer(kafka, "findings-feed-it", Map.of());
    }

    @AfterAll
    static void stop() {
        producer.close();
    }

    /** A worker's publishing side as it starts: topics ensured, state read from the compacted topic. */
    private static final class Worker implements AutoCloseable {
        final CompactedFindingState state;
        final FindingPublisher publisher;
        final WorkerMetrics metrics = WorkerMetrics.create();

        Worker(FeedTopics topics) {
            try (Admin admin = KafkaClients.admin(kafka)) {
                topics.ensure(admin);
            }
            state = new CompactedFindingState(kafka, topics.findings());
            CheckRunPublisher runs = new CheckRunPublisher(producer, topics.checkRuns());
            publisher = new FindingPublisher(new FindingLifecycle(), state,
                    List.of(new KafkaFindingSink(producer, topics.findings())), runs::publish, metrics,
                    Clock.systemUTC());
            publisher.start();
        }

        List<Finding> run(CheckResult result) {
            return run(List.of(result));
        }

        List<Finding> run(List<CheckResult> results) {
            return publisher.record(CompletedRun.of("plan", "plan.seq-scan", SampleFindings.TARGET, Trigger.schedule(),
                    CheckScope.objects(results.stream().map(r -> r.subject().name()).toList()), Instant.now(),
                    Duration.ofMillis(12), results));
        }

        @Override
        public void close() {
            state.close();
            metrics.close();
        }
    }

    private static CheckResult failing() {
        return CheckResult.fail(SampleFindings.seqScan());
    }

    private static CheckResult passing() {
        return CheckResult.pass("seq-scan-large-relation", SampleFindings.QUERY);
    }

    @Test
    void openRepeatResolveRegressPublishesOnlyTheTransitionsAcrossRestarts() throws Exception {
        FeedTopics topics = FeedTopics.prefixed(TestInfrastructure.uniqueTopic("feed"));
        try (Worker w = new Worker(topics)) {
            assertThat(w.run(failing())).extracting(Finding::status).containsExactly(FindingStatus.OPENED);
        }
        try (Worker restarted = new Worker(topics); Worker extra = new Worker(topics)) {
            assertThat(restarted.run(failing())).as("repeat after a restart").isEmpty();
            assertThat(extra.run(failing())).as("repeat on a second instance").isEmpty();
            assertThat(restarted.publisher.known(SampleFindings.seqScan().fingerprint()).occurrences()).isEqualTo(2);
        }
        try (Worker w = new Worker(topics)) {
            assertThat(w.run(passing())).extracting(Finding::status).containsExactly(FindingStatus.RESOLVED);
        }
        try (Worker w = new Worker(topics)) {
            assertThat(w.run(passing())).as("already resolved").isEmpty();
            assertThat(w.run(failing())).extracting(Finding::status).containsExactly(FindingStatus.REGRESSED);
        }

        List<ConsumerRecord<String, byte[]>> feed = TopicReader.readAll(kafka, topics.findings());
        // Four failing runs (one new, two repeats, one regression) and two passes: exactly three messages.
        assertThat(feed).extracting(r -> Contracts.decode(r.value(), Finding.class).status())
                .containsExactly(FindingStatus.OPENED, FindingStatus.RESOLVED, FindingStatus.REGRESSED);
        assertThat(feed).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(SampleFindings.seqScan().fingerprint());
            assertValidFinding(r.value());
        });
        producer.flush();
        assertThat(TopicReader.readAll(kafka, topics.checkRuns())).hasSize(6).allSatisfy(r -> assertThat(
                ContractSchemas.problems(CheckRun.class, new String(r.value(), StandardCharsets.UTF_8))).isEmpty());
    }

    @Test
    void findingsTopicIsCreatedCompacted() throws Exception {
        FeedTopics topics = FeedTopics.prefixed(TestInfrastructure.uniqueTopic("compact"));
        try (Admin admin = KafkaClients.admin(kafka)) {
            topics.ensure(admin);
            topics.ensure(admin); // idempotent
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topics.findings());
            Config config = admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            ConfigResource runs = new ConfigResource(ConfigResource.Type.TOPIC, topics.checkRuns());
            assertThat(admin.describeConfigs(List.of(runs)).all().get(30, TimeUnit.SECONDS).get(runs)
                    .get("cleanup.policy").value()).isEqualTo("delete");
        }
    }

    @Test
    void aMegabyteOfEvidencePublishesAValidSmallFindingWithShortMarkdown() {
        FeedTopics topics = FeedTopics.prefixed(TestInfrastructure.uniqueTopic("huge"));
        try (Worker w = new Worker(topics)) {
            w.publisher.record(CompletedRun.of("merge", "merge.differential", SampleFindings.TARGET, Trigger.manual(),
                    CheckScope.records(List.of("42")), Instant.now(), Duration.ofMillis(40),
                    List.of(CheckResult.fail(SampleFindings.hugeMergeMismatch(1_048_576)))));
        }
        List<ConsumerRecord<String, byte[]>> feed = TopicReader.readAll(kafka, topics.findings());
        assertThat(feed).singleElement().satisfies(r -> {
            assertValidFinding(r.value());
            assertThat(r.value().length).as("message bytes").isLessThan(256 * 1024);
            Finding f = Contracts.decode(r.value(), Finding.class);
            assertThat(f.markdown().length()).isLessThan(MarkdownRenderer.LIMIT);
            assertThat(f.evidence()).filteredOn(e -> e.truncated()).hasSize(2);
        });
    }

    @Test
    void aRunAnnouncingSeveralFindingsPublishesEachOnceAndRemembersThem() throws Exception {
        FeedTopics topics = FeedTopics.prefixed(TestInfrastructure.uniqueTopic("several"));
        List<Finding> defects = List.of(SampleFindings.seqScan(),
                SampleFindings.seqScan(new Subject("query", "recent-by-org"), Severity.HIGH, "0.01..830.12").build(),
                SampleFindings.seqScan(new Subject("query", "forecast-window"), Severity.HIGH, "0.01..610.40").build());
        List<CheckResult> failing = defects.stream().map(CheckResult::fail).toList();
        try (Worker w = new Worker(topics)) {
            assertThat(w.run(failing)).extracting(Finding::fingerprint, Finding::status).containsExactlyInAnyOrder(
                    defects.stream().map(f -> tuple(f.fingerprint(), FindingStatus.OPENED)).toArray(Tuple[]::new));
            assertThat(w.run(failing)).as("a repeat of all three").isEmpty();
        }
        List<ConsumerRecord<String, byte[]>> feed = TopicReader.readAll(kafka, topics.findings());
        assertThat(feed).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrderElementsOf(defects.stream().map(Finding::fingerprint).toList());
        try (Worker restarted = new Worker(topics)) {
            assertThat(restarted.run(failing)).as("known from the topic after a restart").isEmpty();
        }
    }

    @Test
    void aTransitionTheBrokerRefusesFailsNamingTheFindingAndTheTopic() throws Exception {
        String topic = TestInfrastructure.uniqueTopic("refusing");
        try (Admin admin = KafkaClients.admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "512"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Finding refused = SampleFindings.seqScan();
        assertThatThrownBy(() -> new KafkaFindingSink(producer, topic).publish(List.of(refused)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot publish finding " + refused.fingerprint() + " to " + topic + ": ");
    }

    private static void assertValidFinding(byte[] value) {
        String json = new String(value, StandardCharsets.UTF_8);
        assertThat(ContractSchemas.problems(Finding.class, json)).as(json.substring(0, Math.min(300, json.length())))
                .isEmpty();
        Finding f = Contracts.decode(value, Finding.class);
        assertThat(f.markdown()).isNotBlank();
        assertThat(f.markdown().length()).isLessThan(MarkdownRenderer.LIMIT);
    }
}
