package dev.deltawatch.worker.bench;

import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.KafkaClients;
import dev.deltawatch.worker.runtime.DemoTour;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The demo's faults injected into a watched target at given moments, as {@code bench always-on} draws them: each
 * fault is committed, its finding awaited on the findings topic (family, OPENED or REGRESSED, failing the
 * pipeline, published after the commit), and reverted at once to the definition in place before it, found or not
 * after the timeout. A moment that has passed while the previous fault was still open injects right after its revert
 * (back to back, no settling pause). The same fault is not injected again before its last finding resolved (a
 * still-open finding announces nothing new), for at most the timeout.
 */
final class FaultDrill implements AutoCloseable {
    /** One injection: commit-to-finding latency in ms, or -1 when not detected within the timeout. */
    record Outcome(String family, long latencyMs, boolean backToBack) {
        boolean detected() {
            return latencyMs >= 0;
        }
    }

    private final DataSource target;
    private final KafkaConsumer<String, byte[]> feed;
    private final Duration timeout;
    private final PrintStream log;
    private final Map<String, FindingStatus> lastStatus = new HashMap<>();
    private final Map<String, String> openFingerprintByFault = new HashMap<>();
    /** Per family, a transaction id taken just after its previous fault was reverted. */
    private final Map<String, Long> xidAfterRevert = new HashMap<>();
    private volatile boolean active;
    /** {@link System#nanoTime()} when the last revert committed; 0 before the first. */
    private volatile long lastRevertNanos;
    private long lastTimestampMs;

    FaultDrill(DataSource target, KafkaAddress kafka, String findingsTopic, Duration timeout, PrintStream log) {
        this.target = target;
        this.timeout = timeout;
        this.log = log;
        this.feed = KafkaClients.consumer(kafka, "bench-always-on-drill-" + System.nanoTime(), Map.of());
        List<TopicPartition> partitions = feed.partitionsFor(findingsTopic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        feed.assign(partitions);
        feed.seekToEnd(partitions);
        partitions.forEach(feed::position);
    }

    /** Whether a fault is in the target now (from its commit until its revert committed). */
    boolean active() {
        return active;
    }

    /**
     * Whether no fault is in the target and none was reverted within {@code settle}: by then the worker's reaction
     * to the last one (the passes, audits and probes its revert asks for) is over, and what it costs is steady state.
     */
    boolean settled(Duration settle) {
        long reverted = lastRevertNanos;
        return !active && (reverted == 0 || System.nanoTime() - reverted >= settle.toNanos());
    }

    /**
     * Injects {@code faults[i]} at {@code startNanos + offsetsMs[i]} (sorted), skipping those whose moment is not
     * reached before {@code endNanos}; returns each injection's outcome.
     */
    List<Outcome> run(List<DemoTour.Fault> faults, List<Long> offsetsMs, long startNanos, long endNanos)
            throws Exception {
        List<Outcome> out = new ArrayList<>();
        long freeAt = startNanos;
        for (int i = 0; i < faults.size(); i++) {
            long due = startNanos + offsetsMs.get(i) * 1_000_000L;
            if (Math.max(due, System.nanoTime()) >= endNanos) {
                say("fault " + faults.get(i).family() + " not injected: its moment is past the round's end");
                continue;
            }
            boolean backToBack = freeAt > due;
            while (System.nanoTime() < due) {
                poll(Duration.ofMillis(Math.max(1, Math.min(200, (due - System.nanoTime()) / 1_000_000))));
            }
            out.add(inject(faults.get(i), backToBack));
            freeAt = System.nanoTime();
        }
        return out;
    }

    private Outcome inject(DemoTour.Fault fault, boolean backToBack) throws Exception {
        String previous = openFingerprintByFault.remove(fault.resource());
        if (previous != null && lastStatus.get(previous) != FindingStatus.RESOLVED) {
            await(f -> f.fingerprint().equals(previous) && f.status() == FindingStatus.RESOLVED, 0);
        }
        long previousReverted = xidAfterRevert.getOrDefault(fault.family(), 0L);
        String revert = definitionNow(fault.revertObject());
        long committedMs = execute(resource(fault.resource()));
        active = true;
        Optional<Finding> found = await(f -> f.family().equals(fault.family())
                && (f.status() == FindingStatus.OPENED || f.status() == FindingStatus.REGRESSED)
                && f.severity().failsPipeline() && causedAfter(f, previousReverted), committedMs);
        long latency = found.isPresent() ? Math.max(0, lastTimestampMs - committedMs) : -1;
        found.ifPresent(f -> openFingerprintByFault.put(fault.resource(), f.fingerprint()));
        execute(revert);
        xidAfterRevert.put(fault.family(), currentXid());
        lastRevertNanos = System.nanoTime();
        active = false;
        say("fault " + fault.family() + (backToBack ? " (back to back)" : "") + ": "
                + (latency >= 0 ? "detected in " + latency + " ms" : "NOT detected within " + timeout.toSeconds()
                + " s") + ", reverted");
        return new Outcome(fault.family(), latency, backToBack);
    }

    /** Waits up to the timeout for a finding published at or after {@code afterMs} that {@code wanted} accepts. */
    private Optional<Finding> await(Predicate<Finding> wanted, long afterMs) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Finding> r : poll(Duration.ofMillis(200))) {
                if (r.timestamp() >= afterMs && wanted.test(r.value())) {
                    lastTimestampMs = r.timestamp();
                    return Optional.of(r.value());
                }
            }
        }
        return Optional.empty();
    }

    private List<ConsumerRecord<String, Finding>> poll(Duration d) {
        List<ConsumerRecord<String, Finding>> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : feed.poll(d)) {
            if (r.value() == null) {
                continue;
            }
            Finding f = Contracts.decode(r.value(), Finding.class);
            lastStatus.put(f.fingerprint(), f.status());
            out.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                    r.serializedKeySize(), r.serializedValueSize(), r.key(), f, r.headers(), r.leaderEpoch()));
        }
        return out;
    }

    /**
     * Whether the change that raised {@code f} committed after {@code xid}, taken when the previous fault of the
     * same family was reverted: a passive finding on a document edited under that fault, published late, is not
     * this fault's detection. A change from before this fault's commit may be: verifying it reads the database as it
     * is when the run reads, the fault in place (records edited a moment before a bad merge is deployed show it
     * first).
     */
    private static boolean causedAfter(Finding f, long xid) {
        Long tx = f.trigger() == null ? null : f.trigger().txId();
        return tx == null || (tx & 0xFFFF_FFFFL) > (xid & 0xFFFF_FFFFL);
    }

    /**
     * What puts {@code object} back as it is now, as a revert to the previous release does: a function's own
     * definition ({@code pg_get_functiondef}, its {@code SET search_path} included, which the migration's text
     * leaves to the session); an index's reference definition, rebuilt without blocking the writes as a DBRE would
     * on a live database.
     */
    private String definitionNow(String object) throws SQLException {
        try (Connection c = target.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.proname = ? "
                        + "AND p.pronamespace = 'public'::regnamespace")) {
            ps.setString(1, object);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        return ReferenceTarget.originalDefinition(object)
                .replace("CREATE INDEX IF NOT EXISTS", "CREATE INDEX CONCURRENTLY IF NOT EXISTS");
    }

    private long currentXid() throws SQLException {
        try (Connection c = target.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT txid_current()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs a script in autocommit; returns the wall clock (ms) when it committed. */
    private long execute(String sql) throws SQLException {
        try (Connection c = target.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute(sql);
            return System.currentTimeMillis();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FaultDrill.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("fault catalog entry " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void say(String line) {
        if (log != null) {
            log.println("bench always-on: " + line);
            log.flush();
        }
    }

    @Override
    public void close() {
        feed.close();
    }
}
