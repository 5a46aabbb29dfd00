package dev.deltawatch.worker.infra;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.deltawatch.contracts.Severity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The only class that knows meter names. Every deltawatch meter is registered here under the {@code deltawatch.}
 * prefix in dot case with no unit in the name; the Prometheus registry appends the unit and {@code _total}
 * (exported names in {@link #EXPORTED}). Counters carry no base unit, which Prometheus would splice into the
 * exported name ({@code deltawatch_checks_runs_total}).
 *
 * <p>Tags are only {@code family}, {@code check}, {@code outcome} and {@code severity}, all from small fixed
 * sets: never a table, key, SQL text or rule. The optional {@code rule} tag is dropped on purpose: rules
 * are free-form strings chosen by check authors and multiply series; {@code check} is the bounded stand-in.
 * Thread-safe.
 */
public final class WorkerMetrics implements AutoCloseable {
    /** Names as Prometheus shows them; the deploy files may reference only these (and binder metrics). */
    public static final java.util.List<String> EXPORTED = java.util.List.of(
            "deltawatch_checks_total", "deltawatch_check_duration_seconds", "deltawatch_findings_open",
            "deltawatch_findings_transitions_total", "deltawatch_detection_latency_seconds",
            "deltawatch_capture_lag_seconds", "deltawatch_capture_running",
            "deltawatch_replication_slot_retained_bytes", "deltawatch_last_successful_check_timestamp_seconds",
            "deltawatch_dlq_records_total", "deltawatch_chat_deliveries_total");

    private static final Duration[] CHECK_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
            60);
    private static final Duration[] LATENCY_BUCKETS = seconds(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600);

    private final PrometheusMeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<Tags, AtomicLong> openFindings = new ConcurrentHashMap<>();
    private final AtomicLong captureLagMillis = new AtomicLong();
    private final AtomicLong captureRunning = new AtomicLong();
    private final AtomicLong slotRetainedBytes = new AtomicLong();
    private final Timer detectionLatency;
    private final Counter dlqRecords;

    public WorkerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        detectionLatency = Timer.builder("deltawatch.detection.latency")
                .description("From the commit of a change to the publication of the finding it caused")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        dlqRecords = Counter.builder("deltawatch.dlq.records")
                .description("Change events that could not be decoded and went to the dead-letter topic")
                .register(registry);
        Gauge.builder("deltawatch.capture.lag", captureLagMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                .description("Commit to Kafka acknowledgement of the newest change the capture published").register(registry);
        Gauge.builder("deltawatch.capture.running", captureRunning, AtomicLong::get)
                .description("1 while this process streams changes from the replication slot, 0 otherwise (standing by, stopped)")
                .register(registry);
        Gauge.builder("deltawatch.replication.slot.retained", slotRetainedBytes, AtomicLong::get).baseUnit("bytes")
                .description("WAL the replication slot keeps on the target (pg_current_wal_lsn - restart_lsn)")
                .register(registry);
        for (String outcome : new String[] {"delivered", "failed", "dropped"}) {
            chatCounter(outcome);
        }
    }

    /** A registry of its own, for a worker process or a test. */
    public static WorkerMetrics create() {
        return new WorkerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The text exposition, as {@code /metrics} serves it. */
    public String scrape() {
        return registry.scrape();
    }

    /** Pre-registers per-family series at zero, so dashboards and staleness alerts see families before any run. */
    public void families(Iterable<String> families) {
        for (String family : families) {
            lastSuccessGauge(family);
            for (Severity s : Severity.values()) {
                openGauge(family, s);
                for (String status : new String[] {"OPENED", "UPDATED", "RESOLVED", "REGRESSED"}) {
                    transitions(family, s, status);
                }
            }
        }
    }

    /** One finished check run. {@code outcome} is the CheckRun outcome name (PASSED, FAILED, ERROR, SKIPPED). */
    public void checkRun(String family, String check, String outcome, Duration duration) {
        Counter.builder("deltawatch.checks").description("Check runs by outcome")
                .tags("family", family, "check", check, "outcome", outcome).register(registry).increment();
        Timer.builder("deltawatch.check.duration").description("Duration of one check run")
                .tags("family", family, "check", check).serviceLevelObjectives(CHECK_BUCKETS)
                .register(registry).record(duration);
    }

    /** A check of {@code family} completed (passed or found something) at {@code at}. */
    public void checkSucceeded(String family, Instant at) {
        lastSuccessGauge(family).set(at.getEpochSecond());
    }

    /** Replaces the open-findings counts; a (family, severity) not in {@code counts} drops to 0. */
    public void openFindings(Map<String, Map<Severity, Long>> counts) {
        openFindings.values().forEach(v -> v.set(0));
        counts.forEach((family, bySeverity) -> bySeverity.forEach((s, n) -> openGauge(family, s).set(n)));
    }

    /** A lifecycle transition was published ({@code status}: OPENED, UPDATED, RESOLVED, REGRESSED). */
    public void findingTransition(String family, Severity severity, String status) {
        transitions(family, severity, status).increment();
    }

    private Counter transitions(String family, Severity severity, String status) {
        return Counter.builder("deltawatch.findings.transitions")
                .description("Lifecycle transitions published to the findings topic")
                .tags("family", family, "severity", severity.name(), "outcome", status).register(registry);
    }

    public void detectionLatency(Duration latency) {
        detectionLatency.record(latency.isNegative() ? Duration.ZERO : latency);
    }

    public void captureLag(Duration lag) {
        captureLagMillis.set(Math.max(lag.toMillis(), 0));
    }

    public void captureRunning(boolean running) {
        captureRunning.set(running ? 1 : 0);
    }

    public void replicationSlotRetained(long bytes) {
        slotRetainedBytes.set(Math.max(bytes, 0));
    }

    public void deadLettered() {
        dlqRecords.increment();
    }

    /** A chat webhook delivery ended: {@code delivered}, {@code failed} (retries exhausted) or {@code dropped}. */
    public void chatDelivery(String outcome) {
        chatCounter(outcome).increment();
    }

    /** JVM memory, GC, threads, class loading, CPU, uptime and file descriptors. */
    public void bindJvmAndProcess() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Kafka client metrics (consumer lag, producer errors); close the result when the client closes. */
    public AutoCloseable bindKafkaConsumer(Consumer<?, ?> consumer) {
        KafkaClientMetrics m = new KafkaClientMetrics(consumer);
        m.bindTo(registry);
        return m;
    }

    public AutoCloseable bindKafkaProducer(Producer<?, ?> producer) {
        KafkaClientMetrics m = new KafkaClientMetrics(producer);
        m.bindTo(registry);
        return m;
    }

    /** For {@code HikariConfig.setMetricsTrackerFactory}: pool usage, waits and timeouts as {@code hikaricp_*}. */
    public MetricsTrackerFactory hikariMetrics() {
        return new MicrometerMetricsTrackerFactory(registry);
    }

    private AtomicLong lastSuccessGauge(String family) {
        return lastSuccess.computeIfAbsent(family, f -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("deltawatch.last.successful.check.timestamp", v, AtomicLong::get).baseUnit("seconds")
                    .description("Unix time of the last completed check run of the family")
                    .tags("family", f).register(registry);
            return v;
        });
    }

    private AtomicLong openGauge(String family, Severity severity) {
        return openFindings.computeIfAbsent(Tags.of("family", family, "severity", severity.name()), tags -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("deltawatch.findings.open", v, AtomicLong::get)
                    .description("Findings currently open (OPENED, UPDATED or REGRESSED)").tags(tags)
                    .register(registry);
            return v;
        });
    }

    private Counter chatCounter(String outcome) {
        return Counter.builder("deltawatch.chat.deliveries")
                .description("Chat webhook deliveries by outcome").tag("outcome", outcome).register(registry);
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return d;
    }

    @Override
    public void close() {
        registry.close();
    }
}
