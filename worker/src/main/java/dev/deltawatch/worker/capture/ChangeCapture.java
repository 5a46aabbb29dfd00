package dev.deltawatch.worker.capture;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.infra.Backoff;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.infra.PostgresAddress;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One capture of one target database: waits as a standby until it holds the database's capture lock (only one
 * capture may read the slot), then runs the Debezium async engine into {@code deltawatch.changes}, plus the
 * catalog poller in the polling mode, and the watches of what no event trigger reports (planner settings of the
 * database and roles, the watched tables' replica identity).
 *
 * <p>When the engine stops on its own (PostgreSQL restarted, Kafka unreachable, the lock connection lost), the
 * capture lets go of everything, waits with {@link Backoff#reconnect() backoff} and starts over from the slot and
 * the offsets Kafka holds: nothing is acknowledged that Kafka did not store, so nothing is lost, and the process
 * never exits over an outage.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #close()} (a normal stop: offsets flushed, slot kept). Public
 * methods are thread-safe.
 */
public final class ChangeCapture implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeCapture.class);
    /** Advisory lock key text: one capture per database, whatever its slot is called. */
    private static final String LOCK_KEY = "deltawatch.capture";
    /** A run that streamed this long counts as a success: the next failure retries quickly again. */
    private static final Duration HEALTHY_RUN = Duration.ofSeconds(60);

    /** {@code RETRYING}: the last attempt failed or the engine stopped on its own; the next one is scheduled. */
    public enum State { NEW, STANDBY, ACTIVE, RETRYING, STOPPED }

    private final PostgresAddress pg;
    private final KafkaAddress kafka;
    private final TargetConfig target;
    private final CaptureSettings settings;
    private final Clock clock;
    private final ExecutorService main;
    private final ScheduledExecutorService poller;
    private final Backoff backoff = Backoff.reconnect();
    private volatile State state = State.NEW;
    private volatile SchemaMode mode;
    private volatile String lastError;
    private volatile Connection lock;
    private boolean standbyLogged;
    private volatile DebeziumEngine<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> engine;
    private volatile KafkaBatchConsumer consumer;
    private volatile KafkaProducer<String, byte[]> producer;
    private volatile ScheduledFuture<?> polling;
    private volatile ScheduledFuture<?> settingsWatch;
    private volatile ScheduledFuture<?> identityWatch;
    private volatile ReplicaIdentityWatch replicaIdentity;
    private final AtomicLong publishedBefore = new AtomicLong();
    private final AtomicLong deadLetteredBefore = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();

    public ChangeCapture(PostgresAddress pg, KafkaAddress kafka, TargetConfig target, CaptureSettings settings,
                         Clock clock) {
        this.pg = pg;
        this.kafka = kafka;
        this.target = target;
        this.settings = settings;
        this.clock = clock;
        this.main = Executors.newSingleThreadExecutor(r -> new Thread(r, "deltawatch-capture-" + settings.slotName()));
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "deltawatch-catalog-poller"));
    }

    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("capture: already started (state " + state + ")");
        }
        state = State.STANDBY;
        main.execute(this::runUntilStopped);
    }

    public State state() {
        return state;
    }

    /** The DDL mode that runs; null until active. */
    public SchemaMode schemaMode() {
        return mode;
    }

    /** Why the last attempt or run ended, or null; for logs and health output. */
    public String lastError() {
        return lastError;
    }

    /** How many times the capture started over after an outage or error. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Change events Kafka acknowledged since this capture was started, across reconnects. */
    public long published() {
        KafkaBatchConsumer c = consumer;
        return publishedBefore.get() + (c == null ? 0 : c.published());
    }

    /**
     * Commit to Kafka acknowledgement of the newest change this capture published (it stays at that value while the
     * database is quiet; a backlog shows as a growing value); zero before the first change or while not active.
     */
    public Duration lag() {
        KafkaBatchConsumer c = consumer;
        Duration lag = c == null ? null : c.lag();
        return lag == null ? Duration.ZERO : lag;
    }

    /** Captured rows that could not be mapped and were parked on the dead-letter topic, across reconnects. */
    public long deadLettered() {
        KafkaBatchConsumer c = consumer;
        return deadLetteredBefore.get() + (c == null ? 0 : c.deadLettered());
    }

    /**
     * Watched tables that are not {@code REPLICA IDENTITY FULL}, as this capture last saw them (identity by table,
     * {@code schema.table}); empty while not active. Their before images carry only the key.
     */
    public Map<String, String> replicaIdentityGaps() {
        ReplicaIdentityWatch w = replicaIdentity;
        return w == null ? Map.of() : w.notFull();
    }

    /** Waits until this capture is active and its slot is being read, or the timeout passes. */
    public boolean awaitStreaming(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (state == State.ACTIVE && slotActive()) {
                return true;
            }
            if (state == State.STOPPED) {
                return false;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Attempts until stopped: stand by for the lock, activate, stream; after a failure let go and back off. */
    private void runUntilStopped() {
        while (state != State.STOPPED) {
            long streamingSince = 0;
            try {
                while (!tryLock()) {
                    synchronized (this) {
                        if (state == State.STOPPED) {
                            return;
                        }
                        state = State.STANDBY; // reconnected, and another capture holds the database
                    }
                    Thread.sleep(settings.standbyRetry().toMillis());
                }
                if (!activate()) {
                    return; // stopped while activating
                }
                streamingSince = System.nanoTime();
                engine.run(); // blocks until the engine stops: close(), or an error it does not retry itself
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                lastError = e.getMessage();
            }
            if (state == State.STOPPED || !retryAfterFailure(streamingSince)) {
                return;
            }
        }
    }

    /** Lets go of the engine, producer and lock, then sleeps the backoff; false when stopped meanwhile. */
    private boolean retryAfterFailure(long streamingSince) {
        if (streamingSince != 0 && System.nanoTime() - streamingSince > HEALTHY_RUN.toNanos()) {
            backoff.reset();
        }
        Duration wait = backoff.next();
        synchronized (this) {
            if (state == State.STOPPED) {
                return false;
            }
            state = State.RETRYING;
            release();
        }
        reconnects.incrementAndGet();
        LOG.warn("capture: slot {} is not streaming ({}); retrying in {} ms", settings.slotName(),
                lastError == null ? "the engine stopped" : lastError, wait.toMillis());
        try {
            Thread.sleep(wait.toMillis());
            return state != State.STOPPED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes what one attempt opened. Call with the monitor held. */
    private void release() {
        for (ScheduledFuture<?> p : new ScheduledFuture<?>[] {polling, settingsWatch, identityWatch}) {
            if (p != null) {
                p.cancel(false);
            }
        }
        polling = null;
        settingsWatch = null;
        identityWatch = null;
        replicaIdentity = null;
        closeQuietly(engine);
        engine = null;
        KafkaBatchConsumer c = consumer;
        if (c != null) {
            publishedBefore.addAndGet(c.published());
            deadLetteredBefore.addAndGet(c.deadLettered());
            consumer = null;
        }
        closeQuietly(producer);
        producer = null;
        closeQuietly(lock); // releases the advisory lock: a standby may take over meanwhile
        lock = null;
    }

    private boolean tryLock() throws SQLException {
        if (lock == null) {
            lock = pg.connect("deltawatch-capture");
        }
        try (PreparedStatement ps = lock.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
            ps.setString(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    if (!standbyLogged) {
                        standbyLogged = true;
                        LOG.info("capture: another capture holds this database; standing by (retry every {} ms)",
                                settings.standbyRetry().toMillis());
                    }
                    return false;
                }
                return true;
            }
        }
    }

    /** Builds the engine for this attempt; false when the capture was stopped meanwhile. */
    private synchronized boolean activate() throws SQLException {
        if (state == State.STOPPED) {
            return false;
        }
        List<WatchedTable> tables = WatchedTable.resolve(lock, target);
        SchemaMode installed = CaptureInstaller.installedMode(lock);
        if (settings.schemaMode() == SchemaMode.EVENT_TRIGGER && installed != SchemaMode.EVENT_TRIGGER) {
            throw new SQLException("schema mode EVENT_TRIGGER asked for, but the event trigger is not installed "
                    + "(run deltawatch capture install as a superuser)");
        }
        mode = settings.schemaMode() == SchemaMode.POLLING ? SchemaMode.POLLING : installed;
        producer = KafkaClients.producer(kafka, "deltawatch-capture-" + settings.slotName(), Map.of(
                ProducerConfig.LINGER_MS_CONFIG, (int) settings.producerLinger().toMillis(),
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024));
        ChangeEventMapper mapper = new ChangeEventMapper(tables, clock);
        consumer = new KafkaBatchConsumer(producer, settings.topic(), mapper, settings.deadLetterTopic(), clock);
        engine = DebeziumEngine.create(Connect.class)
                .using(EngineProperties.build(pg, kafka, settings, tables))
                .notifying(consumer)
                .using((success, message, error) -> engineStopped(success, message, error))
                .build();
        if (mode == SchemaMode.POLLING) {
            CatalogPoller poll = new CatalogPoller(pg, tables, producer, settings.topic(), clock);
            poll.run(); // the baseline before anything else, so no change after activation is missed
            long every = settings.catalogPollInterval().toMillis();
            polling = poller.scheduleWithFixedDelay(poll, every, every, TimeUnit.MILLISECONDS);
        }
        watchWhatNoTriggerReports(tables, mapper);
        state = State.ACTIVE;
        LOG.info("capture: active on slot {} / publication {} -> topic {}; schema changes by {}", settings.slotName(),
                settings.publicationName(), settings.topic(), mode == SchemaMode.POLLING
                        ? "POLLING the catalog every " + settings.catalogPollInterval().toMillis() + " ms"
                        : "EVENT_TRIGGER (deltawatch.ddl_audit)");
        return true;
    }

    /**
     * Planner settings of the database and roles, and the watched tables' replica identity: neither reaches capture
     * as DDL it can act on, so both are re-read every {@code settings.poll.interval.ms}. Each poll's baseline is
     * taken now, before the engine streams.
     */
    private void watchWhatNoTriggerReports(List<WatchedTable> tables, ChangeEventMapper mapper) {
        long every = settings.settingsPollInterval().toMillis();
        PlannerSettingsWatch plannerSettings = new PlannerSettingsWatch(pg, producer, settings.topic(), clock);
        plannerSettings.run();
        settingsWatch = poller.scheduleWithFixedDelay(plannerSettings, every, every, TimeUnit.MILLISECONDS);
        replicaIdentity = new ReplicaIdentityWatch(pg, tables, mapper);
        identityWatch = poller.scheduleWithFixedDelay(replicaIdentity, every, every, TimeUnit.MILLISECONDS);
    }

    private void engineStopped(boolean success, String message, Throwable error) {
        if (!success && state == State.ACTIVE) {
            lastError = error != null ? error.getMessage() : message;
            LOG.error("capture: the Debezium engine stopped on slot {}: {}", settings.slotName(), lastError);
        }
    }

    private boolean slotActive() {
        try (Connection c = pg.connect("deltawatch-capture");
             PreparedStatement ps = c.prepareStatement(
                     "SELECT active FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()")) {
            ps.setString(1, settings.slotName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** A normal stop: the engine flushes the offsets of everything Kafka acknowledged; the slot is kept. */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * Stops as a crash would, for tests: nothing more is acknowledged, the engine thread is interrupted and the
     * replication connection cut. Whatever Kafka acknowledged may be delivered again after a restart.
     */
    public void halt() {
        stop(true);
    }

    /** Not synchronized while it waits: the capture thread may need the monitor to see the stop through. */
    private void stop(boolean abrupt) {
        State was;
        DebeziumEngine<?> running;
        synchronized (this) {
            was = state;
            state = State.STOPPED;
            running = engine;
        }
        poller.shutdownNow();
        if (abrupt) {
            KafkaBatchConsumer c = consumer;
            if (c != null) {
                c.halt();
            }
            main.shutdownNow();
            terminateWalSender();
        }
        closeQuietly(running);
        if (running == null) {
            main.shutdownNow(); // a standby or a retry sleeping between attempts
        } else {
            main.shutdown(); // let run() see the engine's own shutdown through: it flushes the last offsets
        }
        awaitQuietly();
        main.shutdownNow();
        synchronized (this) {
            release();
        }
        if (was == State.ACTIVE) {
            LOG.info("capture: {} on slot {} (slot kept)", abrupt ? "halted" : "stopped", settings.slotName());
        }
    }

    private void terminateWalSender() {
        try (Connection c = pg.connect("deltawatch-capture");
             PreparedStatement ps = c.prepareStatement("""
                     SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots
                      WHERE slot_name = ? AND active_pid IS NOT NULL""")) {
            ps.setString(1, settings.slotName());
            ps.executeQuery().close();
        } catch (SQLException e) {
            LOG.warn("capture: could not cut the replication connection of slot {}: {}", settings.slotName(),
                    e.getMessage());
        }
    }

    private void awaitQuietly() {
        try {
            // Within the 10 s a SIGTERM allows the whole worker.
            if (!main.awaitTermination(8, TimeUnit.SECONDS)) {
                LOG.warn("capture: engine thread of slot {} did not stop within 8 s", settings.slotName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("capture: closing {} failed: {}", closeable.getClass().getSimpleName(), e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
