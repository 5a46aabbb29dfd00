package dev.deltawatch.worker.runtime;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.capture.ChangeCapture;
import dev.deltawatch.worker.capture.SlotRetention;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckRegistry;
import dev.deltawatch.worker.check.Checks;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.check.lock.LockChecks;
import dev.deltawatch.worker.check.lock.LockProbeSettings;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.findings.FindingLifecycle;
import dev.deltawatch.worker.infra.ClusterLock;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.HealthProbes;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.infra.ObservabilityServer;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.infra.ReadinessProbes;
import dev.deltawatch.worker.infra.WorkerMetrics;
import dev.deltawatch.worker.publish.CheckRunPublisher;
import dev.deltawatch.worker.publish.CompactedFindingState;
import dev.deltawatch.worker.publish.CompletedRun;
import dev.deltawatch.worker.publish.DeadLetterWriter;
import dev.deltawatch.worker.publish.FeedTopics;
import dev.deltawatch.worker.publish.FindingPublisher;
import dev.deltawatch.worker.publish.FindingSink;
import dev.deltawatch.worker.publish.KafkaFindingSink;
import dev.deltawatch.worker.publish.WebhookChatSink;
import dev.deltawatch.worker.route.ChangeConsumerLoop;
import dev.deltawatch.worker.route.CheckGroup;
import dev.deltawatch.worker.route.Coalescer;
import dev.deltawatch.worker.route.RouteTable;
import dev.deltawatch.worker.route.Work;
import dev.deltawatch.worker.route.WorkDispatcher;
import java.net.URI;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker process: capture (when its role is on and it holds the database), the validate loop (consume,
 * route, check, publish), metrics and health. Everything started is stopped by {@link #close()} in reverse
 * order: the loop finishes and commits what it published, capture closes its engine (the slot is kept).
 */
public final class WorkerRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private ObservabilityServer server;
    private ChangeCapture capture;
    private FindingPublisher publisher;

    private WorkerRuntime() {}

    /** Starts every component of the configured roles; on failure stops what had started and rethrows. */
    public static WorkerRuntime start(WorkerConfig config, TargetConfig target, PostgresAddress pg, KafkaAddress kafka,
                                      Clock clock) throws Exception {
        WorkerRuntime rt = new WorkerRuntime();
        try {
            rt.startAll(config, target, pg, kafka, clock);
            return rt;
        } catch (Exception | Error e) {
            rt.close();
            throw e;
        }
    }

    private void startAll(WorkerConfig config, TargetConfig target, PostgresAddress pg, KafkaAddress kafka,
                          Clock clock) throws Exception {
        LOG.info("effective configuration:\n{}", config.describe());
        WorkerMetrics metrics = WorkerMetrics.create();
        started.push(metrics);
        metrics.bindJvmAndProcess();
        metrics.families(WorkerConfigDef.FAMILIES);
        ReadinessProbes probes = new ReadinessProbes(Duration.ofSeconds(3));
        started.push(probes);
        HikariDataSource pool = Database.pool(pg, "worker", config.integer(WorkerConfigDef.POOL_SIZE),
                metrics.hikariMetrics());
        started.push(pool);
        probes.register("database", HealthProbes.database(pool));
        Admin admin = KafkaClients.admin(kafka);
        started.push(admin);
        probes.register("kafka", HealthProbes.kafka(admin));
        server = ObservabilityServer.start("0.0.0.0", config.integer(WorkerConfigDef.METRICS_PORT), metrics, probes);
        started.push(server);
        LOG.info("metrics and health on port {}", server.port());

        if (config.roles().contains("capture")) {
            startCapture(config, target, pg, kafka, clock, pool, metrics, probes);
        }
        if (config.roles().contains("validate")) {
            HikariDataSource probePool = Database.pool(pg, "worker-probes",
                    config.integer(WorkerConfigDef.PROBE_POOL_SIZE), metrics.hikariMetrics());
            started.push(probePool);
            startValidate(config, target, kafka, clock, pool, probePool, metrics, admin);
        }
    }

    private void startCapture(WorkerConfig config, TargetConfig target, PostgresAddress pg, KafkaAddress kafka,
                              Clock clock, HikariDataSource pool, WorkerMetrics metrics, ReadinessProbes probes) {
        String slot = config.string(WorkerConfigDef.SLOT);
        CaptureSettings settings = CaptureSettings.defaults()
                .withNames(slot, config.string(WorkerConfigDef.PUBLICATION),
                        config.string(WorkerConfigDef.TOPIC_CHANGES), "deltawatch.capture.offsets." + slot)
                .withTiming(config.millis(WorkerConfigDef.HEARTBEAT_MS), Duration.ofSeconds(5))
                .withDebezium(config.debeziumProperties())
                .withDeadLetterTopic(config.string(WorkerConfigDef.TOPIC_DLQ))
                .withSettingsPoll(config.millis(WorkerConfigDef.SETTINGS_POLL_MS));
        capture = new ChangeCapture(pg, kafka, target, settings, clock);
        started.push(capture);
        capture.start();
        probes.register("capture", () -> capture.state() == ChangeCapture.State.ACTIVE
                || capture.state() == ChangeCapture.State.STANDBY);
        SlotRetention retention = new SlotRetention(pool, slot);
        ScheduledExecutorService gauges = Executors.newSingleThreadScheduledExecutor(
                r -> new Thread(r, "deltawatch-capture-gauges"));
        started.push(gauges::shutdownNow);
        gauges.scheduleWithFixedDelay(() -> {
            metrics.captureRunning(capture.state() == ChangeCapture.State.ACTIVE);
            metrics.captureLag(capture.lag());
            metrics.replicationSlotRetained((long) retention.gaugeValue());
        }, 0, 5, TimeUnit.SECONDS);
    }

    private void startValidate(WorkerConfig config, TargetConfig target, KafkaAddress kafka, Clock clock,
                               HikariDataSource pool, HikariDataSource probePool, WorkerMetrics metrics, Admin admin)
            throws Exception {
        FeedTopics topics = new FeedTopics(config.string(WorkerConfigDef.TOPIC_FINDINGS),
                config.string(WorkerConfigDef.TOPIC_CHECK_RUNS), config.string(WorkerConfigDef.TOPIC_DLQ),
                FeedTopics.defaults().partitions(), FeedTopics.defaults().replicationFactor());
        topics.ensure(admin);
        ResolvedTarget resolved;
        try (Connection c = pool.getConnection()) {
            resolved = TargetCatalog.resolve(c, target);
        }
        CheckContext context = new CheckContext(resolved, pool, clock, Trigger.schedule(),
                config.millis(WorkerConfigDef.STATEMENT_TIMEOUT_MS), config.millis(WorkerConfigDef.LOCK_TIMEOUT_MS));
        if (config.families().contains("lock")) {
            int swept = LockChecks.sweepAtStart(context, LockProbeSettings.defaults());
            if (swept > 0) {
                LOG.info("removed {} probe row(s) left by a crashed probe", swept);
            }
        }
        CheckRegistry registry = Checks.forWorker(config.families());
        started.push(registry);

        KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka, "deltawatch-feed", Map.of());
        started.push(producer);
        started.push(metrics.bindKafkaProducer(producer));
        List<FindingSink> sinks = new ArrayList<>(List.of(new KafkaFindingSink(producer, topics.findings())));
        String webhook = config.string(WorkerConfigDef.WEBHOOK_URL);
        if (webhook != null && !webhook.isBlank()) {
            WebhookChatSink chat = new WebhookChatSink(WebhookChatSink.Settings.defaults(URI.create(webhook)), metrics);
            started.push(chat::close);
            sinks.add(chat);
        }
        CompactedFindingState state = new CompactedFindingState(kafka, topics.findings());
        started.push(state);
        CheckRunPublisher runs = new CheckRunPublisher(producer, topics.checkRuns());
        // Workers of one target decide findings one at a time, so each transition is announced once.
        ClusterLock decisions = ClusterLock.advisory(pool, "deltawatch.findings/" + topics.findings());
        started.push(decisions);
        publisher = new FindingPublisher(new FindingLifecycle(), state, sinks, runs::publish, metrics, clock,
                decisions);
        publisher.start();
        DeadLetterWriter deadLetters = new DeadLetterWriter(producer, topics.dlq(), metrics);

        CheckDispatcher dispatcher = new CheckDispatcher(CheckGroups.from(registry), context, probePool, clock,
                executions -> {
                    for (CheckDispatcher.Dispatched d : executions) {
                        CompletedRun run = CompletedRuns.of(d.execution()).withChangeCommittedAt(d.changeCommittedAt());
                        publisher.record(d.everyRecord() ? run.standingForEveryRecord() : run);
                    }
                });
        DependencyResolver dependents = new DependencyResolver(pool, target);
        dependents.refresh();
        WorkDispatcher dispatching = new WorkDispatcher() {
            @Override
            public void dispatch(List<Work> work) throws Exception {
                if (work.stream().anyMatch(w -> w.trigger().reason() == Trigger.Reason.SCHEMA_CHANGE)) {
                    // A database or role setting (ALTER DATABASE|ROLE ... SET) reaches only sessions opened after
                    // it: the checks must see what the application's next connections see, not the pool's old ones.
                    pool.getHikariPoolMXBean().softEvictConnections();
                    probePool.getHikariPoolMXBean().softEvictConnections();
                }
                dispatcher.dispatch(work);
                if (work.stream().anyMatch(w -> w.trigger().reason() == Trigger.Reason.SCHEMA_CHANGE)) {
                    dependents.refresh();
                }
            }

            @Override
            public void reassigned(boolean everyPartition) {
                dispatcher.reassigned(everyPartition);
            }

            @Override
            public void passWaiting() {
                dispatcher.passWaiting();
            }
        };
        KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(kafka, config.string(WorkerConfigDef.GROUP_ID),
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
        started.push(metrics.bindKafkaConsumer(consumer));
        ChangeConsumerLoop loop = new ChangeConsumerLoop(consumer, config.string(WorkerConfigDef.TOPIC_CHANGES),
                new RouteTable(target).withDependents(dependents), new Coalescer(
                config.millis(WorkerConfigDef.COALESCE_WINDOW_MS), config.integer(WorkerConfigDef.COALESCE_MAX_RECORDS),
                clock), dispatching, deadLetters::write, config.integer(WorkerConfigDef.QUEUE_CAPACITY),
                Duration.ofMillis(100), null)
                .withSweep(config.millis(WorkerConfigDef.SWEEP_MS), WorkerRuntime::sweepWork)
                .withStartupPass(WorkerRuntime::sweepWork);
        Thread thread = new Thread(loop, "deltawatch-validate");
        started.push(() -> {
            loop.close();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        });
        thread.start();
    }

    /** Every group on everything (every record's merge checks included): the baseline at start, then on the slow schedule. */
    private static List<Work> sweepWork() {
        List<Work> out = new ArrayList<>();
        for (CheckGroup g : CheckGroup.values()) {
            if (!g.needsEvents()) {
                out.add(new Work(g, CheckScope.all(), Trigger.schedule()));
            }
        }
        return out;
    }

    public int metricsPort() {
        return server.port();
    }

    /** The capture component, or null when this process does not run the capture role. */
    public ChangeCapture capture() {
        return capture;
    }

    /**
     * Stops everything in reverse start order; each failure is logged once and does not stop the rest. Capture
     * closes alongside, not after, the validate loop finishing its work: both must fit in a SIGTERM's 10 s.
     */
    @Override
    public void close() {
        Thread captureStop = null;
        if (capture != null) {
            captureStop = new Thread(capture::close, "deltawatch-capture-stop");
            captureStop.start();
        }
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            if (c == capture) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", c.getClass().getSimpleName(), e.getMessage());
            }
        }
        if (captureStop != null) {
            try {
                captureStop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
