package dev.deltawatch.worker.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.capture.ChangeCapture;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.Infrastructure;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code deltawatch bench capture}: commits delta updates on the reference target (set-based, one transaction per
 * {@code --batch-rows} rows, each bumping the version) and measures, at a consumer of the changes topic, the
 * sustained rate from first commit to last event consumed, then the commit-to-consume latency at a fixed rate.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Capture throughput (commit -> consumer of deltawatch.changes) and latency at a fixed rate.")
public final class CaptureBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "100000", description = "Delta updates for the throughput run.")
    int events;

    @Option(names = "--warmup-events", defaultValue = "100000",
            description = "Delta updates committed and consumed before the measured run (JIT, connections, batches).")
    int warmupEvents;

    @Option(names = "--backlog", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also drain --events updates committed while capture was stopped (backlog_events_per_s).")
    boolean backlog;

    @Option(names = "--records", defaultValue = "10000", description = "Records seeded and updated in turn.")
    int records;

    @Option(names = "--batch-rows", defaultValue = "1000", description = "Rows per update transaction.")
    int batchRows;

    @Option(names = "--rate", defaultValue = "1000", description = "Events per second of the latency run.")
    int rate;

    @Option(names = "--latency-seconds", defaultValue = "15", description = "Length of the latency run.")
    int latencySeconds;

    @Option(names = "--max-batch-size", defaultValue = "4096", description = "Debezium max.batch.size.")
    int maxBatchSize;

    @Option(names = "--max-queue-size", defaultValue = "16384", description = "Debezium max.queue.size.")
    int maxQueueSize;

    @Option(names = "--poll-interval-ms", defaultValue = "20", description = "Debezium poll.interval.ms.")
    long pollIntervalMs;

    @Option(names = "--linger-ms", defaultValue = "5", description = "Capture producer linger.ms.")
    long lingerMs;

    @Option(names = "--debezium", paramLabel = "KEY=VALUE",
            description = "Extra Debezium engine property (repeatable), as deltawatch.capture.debezium.* would set.")
    Map<String, String> debezium = new LinkedHashMap<>();

    private Supplier<ChangeCapture> capture;
    private ChangeCapture running;

    @Override
    public Integer call() throws Exception {
        try (Infrastructure infra = Infrastructure.resolve()) {
            String name = "bench_capture_" + ProcessHandle.current().pid();
            PostgresAddress db = Database.createDatabase(infra.postgres(), name);
            CaptureSettings settings = CaptureSettings.defaults()
                    .withNames(name, name, "deltawatch.changes." + name, "deltawatch.capture.offsets." + name)
                    .withTuning(maxBatchSize, maxQueueSize, Duration.ofMillis(pollIntervalMs),
                            Duration.ofMillis(lingerMs))
                    .withDebezium(debezium);
            try (HikariDataSource ds = Database.pool(db, "bench-capture", 4)) {
                ReferenceTarget.install(ds);
                seed(ds);
                CaptureInstaller.install(ds, ReferenceTarget.config(), settings);
                try (ChangeStreamProbe probe = new ChangeStreamProbe(infra.kafka(), settings.topic())) {
                    capture = () -> new ChangeCapture(db, infra.kafka(), ReferenceTarget.config(), settings,
                            Clock.systemUTC());
                    startCapture();
                    probe.start();
                    report(ds, probe);
                } finally {
                    if (running != null) {
                        running.close();
                    }
                    CaptureInstaller.dropSlot(ds, settings.slotName());
                }
            } finally {
                dropDatabase(infra.postgres(), name);
            }
        }
        return 0;
    }

    private void startCapture() throws InterruptedException {
        running = capture.get();
        running.start();
        if (!running.awaitStreaming(Duration.ofSeconds(120))) {
            throw new IllegalStateException("capture did not start (state " + running.state() + ")");
        }
    }

    private void report(HikariDataSource ds, ChangeStreamProbe probe) throws Exception {
        UpdateDriver driver = new UpdateDriver(ds, records);
        // Sustained means steady state: a worker runs for days, so the first seconds of JIT compilation (a C2
        // thread took half a core of the two here) are not the rate capture sustains.
        if (warmupEvents > 0) {
            driver.commit(warmupEvents, batchRows);
            probe.awaitDeltaEvents(warmupEvents, Duration.ofMinutes(10));
        }
        long cpuStart = processCpuNanos();
        long decoderCpuStart = decoderCpuNanos();
        long jitStart = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long pgCpuStart = PostgresCpu.nanos(ds);
        long start = System.nanoTime();
        double commitSeconds = driver.commit(events, batchRows);
        probe.awaitDeltaEvents(warmupEvents + (long) events, Duration.ofMinutes(10));
        double seconds = (probe.lastArrivalNanos() - start) / 1e9;
        // CPU this JVM (capture, embedded Kafka, the probe; not PostgreSQL) spent per event: on a shared machine
        // the rate swings with other load, this much less, so it is the figure to compare A/B.
        double cpuMicrosPerEvent = (processCpuNanos() - cpuStart) / 1000.0 / events;
        double decoderCpuMicrosPerEvent = (decoderCpuNanos() - decoderCpuStart) / 1000.0 / events;
        // JIT compiler time inside the measured run (part of the JVM CPU above): should be small once warmed up.
        long jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitStart;
        long pgCpuEnd = PostgresCpu.nanos(ds);
        // The processes still there at the end (the driver's backend and the WAL sender live the whole run).
        double pgCpuMicrosPerEvent = pgCpuStart < 0 || pgCpuEnd < 0 ? -1 : (pgCpuEnd - pgCpuStart) / 1000.0 / events;

        // Backlog: the same number of updates committed while capture is stopped (slot kept), then drained by a
        // new capture from its first event to its last. The live rate above can be no faster than PostgreSQL
        // commits next to capture on the same cores; this is what capture alone sustains.
        long backlogEventsPerSecond = -1;
        if (backlog) {
            running.close();
            driver.commit(events, batchRows);
            long before = probe.deltaEvents();
            probe.markArrivalOf(before + 1);
            startCapture();
            probe.awaitDeltaEvents(before + events, Duration.ofMinutes(10));
            long first = probe.markedArrivalNanos();
            backlogEventsPerSecond = Math.round((events - 1) / ((probe.lastArrivalNanos() - first) / 1e9));
        }

        long beforeLatency = probe.deltaEvents();
        probe.startLatencyWindow();
        driver.paced(rate, Duration.ofSeconds(latencySeconds));
        probe.awaitDeltaEvents(beforeLatency + (long) rate * latencySeconds, Duration.ofMinutes(2));

        ObjectNode out = Contracts.mapper().createObjectNode();
        out.put("bench", "capture");
        out.put("events", events);
        out.put("warmup_events", warmupEvents);
        out.put("events_per_s", Math.round(events / seconds));
        out.put("postgres_commit_events_per_s", Math.round(events / commitSeconds));
        out.put("backlog_events_per_s", backlogEventsPerSecond);
        out.put("jvm_cpu_us_per_event", Math.round(cpuMicrosPerEvent * 10) / 10.0);
        out.put("decoder_cpu_us_per_event", Math.round(decoderCpuMicrosPerEvent * 10) / 10.0);
        out.put("jit_ms", jitMillis);
        out.put("postgres_cpu_us_per_event", Math.round(pgCpuMicrosPerEvent * 10) / 10.0);
        out.put("rate_events_per_s", rate);
        out.put("latency_events", probe.latency().getTotalCount());
        out.put("p50_ms", probe.latency().getValueAtPercentile(50) / 1000.0);
        out.put("p95_ms", probe.latency().getValueAtPercentile(95) / 1000.0);
        out.put("p99_ms", probe.latency().getValueAtPercentile(99) / 1000.0);
        out.put("max_batch_size", maxBatchSize);
        out.put("max_queue_size", maxQueueSize);
        out.put("poll_interval_ms", pollIntervalMs);
        out.put("linger_ms", lingerMs);
        debezium.forEach((k, v) -> out.put("debezium." + k, v));
        spec.commandLine().getOut().println(Contracts.mapper().writeValueAsString(out));
        spec.commandLine().getOut().flush();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * CPU of Debezium's decoding thread (pgoutput messages to records: every change passes through this one
     * thread, so it bounds capture however many cores there are).
     */
    private static long decoderCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().endsWith("-change-event-source-coordinator")) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    private void seed(HikariDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO pfa_records (organization_id, mirror_json) SELECT 'RIO', jsonb_build_object("
                    + "'category', 'Cranes', 'forecast', jsonb_build_object('start', '2024-03-01'), 'n', g) "
                    + "FROM generate_series(1, " + records + ") g");
        }
    }

    private static void dropDatabase(PostgresAddress server, String name) {
        try (Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); // name is bench_capture_<pid>
        } catch (SQLException e) {
            System.err.println("bench capture: could not drop database " + name + ": " + e.getMessage());
        }
    }
}
