package dev.deltawatch.worker.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.findings.FindingLifecycle;
import dev.deltawatch.worker.publish.CompletedRun;
import dev.deltawatch.worker.publish.FindingPublisher;
import dev.deltawatch.worker.publish.FindingStateSource;
import dev.deltawatch.worker.publish.InMemoryFindingSink;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker's HTTP port on a real PostgreSQL (Hikari pool metrics) and Kafka (client metrics), after a real check
 * ran against the reference target. Also the guard that deploy files only use metric names the worker exports.
 */
class ObservabilityServerIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static WorkerMetrics metrics;
    private static HikariDataSource pool;
    private static KafkaConsumer<String, byte[]> consumer;
    private static KafkaProducer<String, byte[]> producer;
    private static Admin admin;
    private static ReadinessProbes probes;
    private static ObservabilityServer server;
    private static final List<AutoCloseable> bindings = new java.util.ArrayList<>();

    /** A real check for this test: counts the records of the reference target in a read-only transaction. */
    static final class RecordCountCheck implements Check {
        @Override
        public String name() {
            return "plan.record-count";
        }

        @Override
        public String family() {
            return "plan";
        }

        @Override
        public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
            try (Connection c = context.connect(true); ResultSet rs = c.createStatement()
                    .executeQuery("SELECT count(*) FROM " + context.target().primaryTable().qualifiedName())) {
                rs.next();
                c.rollback();
                return List.of(CheckResult.pass("record-count", new Subject("table", "pfa_records")));
            }
        }
    }

    /** A second real check: a plan audit whose query no index serves, so it reports a finding. */
    static final class UnindexedLookupCheck implements Check {
        @Override
        public String name() {
            return "plan.unindexed-lookup";
        }

        @Override
        public String family() {
            return "plan";
        }

        @Override
        public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
            String sql = "SELECT id FROM " + context.target().primaryTable().qualifiedName()
                    + " WHERE updated_by = 'nobody'";
            try (Connection c = context.connect(true); ResultSet rs = c.createStatement()
                    .executeQuery("EXPLAIN (FORMAT TEXT) " + sql)) {
                StringBuilder plan = new StringBuilder();
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
                c.rollback();
                Subject subject = new Subject("query", "lookup-by-updated-by");
                if (!plan.toString().contains("Seq Scan")) {
                    return List.of(CheckResult.pass("seq-scan", subject));
                }
                return List.of(CheckResult.fail(context.finding(this, "seq-scan", dev.deltawatch.contracts.Severity.MEDIUM,
                        subject).title("Sequential scan for updated_by lookups").evidence("EXPLAIN", "plan",
                        plan.toString()).fix("CREATE INDEX CONCURRENTLY ON pfa_records (updated_by);")
                        .reproductionSql("EXPLAIN " + sql).build()));
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        metrics = WorkerMetrics.create();
        metrics.bindJvmAndProcess();
        metrics.families(List.of("merge", "plan", "lock", "edge"));
        pool = TestInfrastructure.referenceTarget("observability");
        pool.setMetricsTrackerFactory(metrics.hikariMetrics());
        String topic = TestInfrastructure.uniqueTopic("observability");
        producer = KafkaClients.producer(TestInfrastructure.kafka(), "observability-it", Map.of());
        bindings.add(metrics.bindKafkaProducer(producer));
        for (int i = 0; i < 5; i++) {
            producer.send(new ProducerRecord<>(topic, "k" + i, new byte[] {1})).get();
        }
        consumer = KafkaClients.consumer(TestInfrastructure.kafka(), "observability-" + topic,
                Map.of("max.poll.records", 2));
        bindings.add(metrics.bindKafkaConsumer(consumer));
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int seen = 0;
        while (seen == 0 && System.nanoTime() < deadline) {
            seen += consumer.poll(Duration.ofMillis(200)).count();
        }
        admin = KafkaClients.admin(TestInfrastructure.kafka());
        probes = new ReadinessProbes(Duration.ofSeconds(3));
        probes.register("database", HealthProbes.database(pool));
        probes.register("kafka", HealthProbes.kafka(admin));
        server = ObservabilityServer.start("127.0.0.1", 0, metrics, probes);

        runOneCheck();
        metrics.captureRunning(true);
        metrics.captureLag(Duration.ofMillis(1500));
        metrics.replicationSlotRetained(16 * 1024 * 1024);
        metrics.deadLettered();
    }

    private static void runOneCheck() throws Exception {
        CheckContext context = TestInfrastructure.referenceContext(pool);
        FindingPublisher publisher = new FindingPublisher(new FindingLifecycle(), FindingStateSource.none(),
                List.of(new InMemoryFindingSink()), r -> { }, metrics, Clock.systemUTC());
        for (Check check : List.of(new RecordCountCheck(), new UnindexedLookupCheck())) {
            Instant started = Instant.now();
            List<CheckResult> results = check.run(context, CheckScope.all());
            publisher.record(CompletedRun.of(check.family(), check.name(), context.targetName(), Trigger.schedule(),
                    CheckScope.all(), started, Duration.between(started, Instant.now()), results)
                    .withChangeCommittedAt(started.minusMillis(800)));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        probes.close();
        for (AutoCloseable b : bindings) {
            b.close();
        }
        consumer.close();
        producer.close();
        admin.close();
        pool.close();
        metrics.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Series names and metric family names ({@code # TYPE} lines, e.g. a histogram's) in an exposition. */
    static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                names.add(line.split(" ")[2]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    @Test
    void metricsShowEveryWorkerMetricAfterACheckRun() throws Exception {
        HttpResponse<String> r = get("/metrics");
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "observability-scrape.txt"), r.body());
        assertThat(r.statusCode()).isEqualTo(200);
        String body = r.body();
        Set<String> names = names(body);
        assertThat(names).contains("deltawatch_checks_total", "deltawatch_check_duration_seconds_bucket",
                "deltawatch_check_duration_seconds_count", "deltawatch_findings_open",
                "deltawatch_detection_latency_seconds_bucket", "deltawatch_capture_lag_seconds",
                "deltawatch_replication_slot_retained_bytes", "deltawatch_last_successful_check_timestamp_seconds",
                "deltawatch_capture_running", "deltawatch_dlq_records_total", "deltawatch_chat_deliveries_total",
                "hikaricp_connections_active", "kafka_consumer_fetch_manager_records_lag_max",
                "jvm_memory_used_bytes", "process_cpu_usage", "process_uptime_seconds");
        assertThat(body).contains("deltawatch_checks_total{check=\"plan.record-count\",family=\"plan\",outcome=\"PASSED\"} 1.0")
                .contains("deltawatch_replication_slot_retained_bytes 1.6777216E7")
                .contains("deltawatch_capture_lag_seconds 1.5")
                .contains("deltawatch_detection_latency_seconds_count 1")
                .contains("deltawatch_findings_open{family=\"plan\",severity=\"MEDIUM\"} 1.0")
                .contains("deltawatch_findings_transitions_total{family=\"plan\",outcome=\"OPENED\",severity=\"MEDIUM\"} 1.0");
        for (String exported : WorkerMetrics.EXPORTED) {
            assertThat(names).as(exported).anyMatch(n -> n.equals(exported) || n.startsWith(exported + "_"));
        }
        assertThat(body).as("no record content in labels").doesNotContain("records-by-org").doesNotContain("HOLNG");
    }

    @Test
    void liveAndReadyAnswerAndReadinessNamesTheFailingProbe() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\":true").contains("\"kafka\":true");
        probes.register("capture", () -> {
            throw new IllegalStateException("engine stopped");
        });
        try {
            HttpResponse<String> down = get("/health/ready");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"capture\":false").doesNotContain("engine stopped");
        } finally {
            probes.unregister("capture");
        }
    }

    @Test
    void deployFilesReferenceOnlyExportedMetrics() throws Exception {
        Set<String> exported = names(get("/metrics").body());
        java.nio.file.Path deploy = repoRoot().resolve("deploy");
        for (String file : List.of("prometheus/alerts.yml", "grafana/deltawatch-dashboard.json")) {
            String text = java.nio.file.Files.readString(deploy.resolve(file));
            Set<String> referenced = referencedMetrics(text);
            assertThat(referenced).as("metrics referenced by %s", file).isNotEmpty();
            assertThat(exported).as("%s references metrics the worker does not export", file)
                    .containsAll(referenced);
        }
    }

    /** Names that look like our metrics or binder metrics in a PromQL-bearing file. */
    static Set<String> referencedMetrics(String text) {
        Matcher m = Pattern.compile("\\b((?:deltawatch|hikaricp|kafka_consumer|kafka_producer|jvm|process)_[a-z0-9_]+)")
                .matcher(text);
        Set<String> out = new TreeSet<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static java.nio.file.Path repoRoot() {
        java.nio.file.Path p = java.nio.file.Path.of("").toAbsolutePath();
        while (p != null && !java.nio.file.Files.isDirectory(p.resolve("deploy"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no deploy/ directory above " + java.nio.file.Path.of("").toAbsolutePath());
        }
        return p;
    }
}
