package dev.deltawatch.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.worker.config.ContractSchemas;
import dev.deltawatch.worker.findings.FindingLifecycle;
import dev.deltawatch.worker.findings.Observation;
import dev.deltawatch.worker.findings.SampleFindings;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.publish.FeedTopics;
import dev.deltawatch.worker.publish.KafkaFindingSink;
import dev.deltawatch.worker.testing.CliRun;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FindingsTailIT {
    private static FeedTopics topics;
    private static Finding opened;
    private static Finding resolved;

    @BeforeAll
    static void publishTwoTransitions() {
        topics = FeedTopics.prefixed(TestInfrastructure.uniqueTopic("tail"));
        try (Admin admin = KafkaClients.admin(TestInfrastructure.kafka());
             KafkaProducer<String, byte[]> producer = KafkaClients.producer(TestInfrastructure.kafka(), "tail-it",
                     Map.of())) {
            topics.ensure(admin);
            FindingLifecycle lifecycle = new FindingLifecycle();
            opened = lifecycle.step(null, Observation.fail(SampleFindings.seqScan()), null, Instant.now())
                    .announcement();
            resolved = lifecycle.step(opened, Observation.pass("plan", "seq-scan-large-relation",
                    SampleFindings.TARGET, SampleFindings.QUERY), null, Instant.now()).announcement();
            KafkaFindingSink sink = new KafkaFindingSink(producer, topics.findings());
            sink.publish(opened);
            sink.publish(resolved);
        }
    }

    private static String[] run(String... args) {
        CliRun r = CliRun.run(args);
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().lines().toArray(String[]::new);
    }

    @Test
    void jsonModePrintsOneValidFindingPerLine() {
        String[] lines = run("findings", "tail", "--bootstrap", TestInfrastructure.kafka().bootstrapServers(),
                "--topic", topics.findings(), "--json", "--from-beginning", "--until-end");
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            assertThat(ContractSchemas.problems(Finding.class, line)).isEmpty();
        }
        assertThat(List.of(lines)).extracting(l -> Contracts.decode(l, Finding.class).status())
                .containsExactly(FindingStatus.OPENED, FindingStatus.RESOLVED);
    }

    @Test
    void readableModeShowsStatusSeveritySubjectAndNoColourWithoutATerminal() {
        String[] lines = run("findings", "tail", "--bootstrap", TestInfrastructure.kafka().bootstrapServers(),
                "--topic", topics.findings(), "--from-beginning", "--max-messages", "2");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).contains("OPENED").contains("BLOCKER").contains("plan/seq-scan-large-relation")
                .contains("query:records-by-org-category").contains(opened.fingerprint().substring(0, 12))
                .doesNotContain("\u001b[");
        assertThat(lines[1]).contains("RESOLVED");
    }

    @Test
    void waitsForATopicThatDoesNotExistYetAndPrintsWhatIsPublishedOnceItDoes() throws Exception {
        FeedTopics later = FeedTopics.prefixed(TestInfrastructure.uniqueTopic("tail-later"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> cli.execute("findings", "tail",
                "--bootstrap", TestInfrastructure.kafka().bootstrapServers(), "--topic", later.findings(),
                "--max-messages", "1"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!err.toString().contains("waiting for it") && !tail.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(tail).as(err.toString()).isNotDone();
        assertThat(err.toString()).contains("topic " + later.findings() + " does not exist");
        try (Admin admin = KafkaClients.admin(TestInfrastructure.kafka());
             KafkaProducer<String, byte[]> producer = KafkaClients.producer(TestInfrastructure.kafka(), "tail-later",
                     Map.of())) {
            later.ensure(admin);
            new KafkaFindingSink(producer, later.findings()).publish(opened);
        }
        assertThat(tail.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("OPENED").contains(opened.fingerprint().substring(0, 12));
        assertThat(err.toString()).containsOnlyOnce("waiting for it");
    }

    @Test
    void tailWithoutBootstrapIsAUsageError() {
        CliRun r = CliRun.run("findings", "tail");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--bootstrap");
    }
}
