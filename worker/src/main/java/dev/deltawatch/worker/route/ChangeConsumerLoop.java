package dev.deltawatch.worker.route;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.ContractException;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.worker.infra.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validate role's loop: read {@code deltawatch.changes}, route each change to the check groups it can
 * break, coalesce bursts, dispatch due batches, and commit offsets only for polls whose work is entirely
 * dispatched (so published). Four lanes: the record checks of changes run on this thread; the slow groups
 * ({@link CheckGroup#slow()}) one batch at a time on a {@link SlowLane} each, the quick audits (merge battery, plan
 * audits, schema hygiene) on one and the long probes and samples ({@link CheckGroup#runsLong()}) on another; passes
 * over every record on a fourth. So a finding on a changed record is not held back behind them, nor a plan audit
 * behind a pass or a lock probe; no offset is committed past work any lane still holds. A change that cannot be
 * decoded or names an unwatched table goes to the dead letters and the loop goes on; DDL on deltawatch's own schemas
 * is ignored. When dispatching fails (findings could not be published), the loop rewinds to the last committed
 * offsets and reads those changes again: at-least-once, never lost.
 * Runs on one thread (plus the lanes'); {@link #close()} may be called from another. The dispatcher must be
 * thread-safe: every lane calls it, never with the same check at once.
 */
public final class ChangeConsumerLoop implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeConsumerLoop.class);
    private static final Duration STOP_DRAIN_WINDOW = Duration.ofSeconds(3);
    private static final Duration FOREVER = Duration.ofDays(365);
    /**
     * How many times the queue capacity of changed records may wait while a pass over every record runs: they are
     * only keys until it ends, and a consumer paused behind them would not read the next schema change either (a
     * fault injected, or reverted, while a pass at a million records runs would be seen only after it).
     */
    private static final int PASS_BACKLOG_FACTOR = 10;

    /** Counts for metrics and tests. Implementations must be thread-safe and fast. */
    public interface Listener {
        default void changeRouted(ChangeEvent event) { }

        default void deadLettered(String reason) { }

        default void dispatched(List<Work> work) { }

        default void rewound(Exception cause) { }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final RouteTable routes;
    private final Coalescer coalescer;
    private final WorkDispatcher dispatcher;
    private final DeadLetters deadLetters;
    private final int queueCapacity;
    private final Duration pollTimeout;
    private final Listener listener;
    private final SlowLane auditLane;
    private final SlowLane probeLane;
    private final SlowLane passLane;
    /** A pass over every record that came due while the pass lane was busy, and the oldest poll it holds work from. */
    private List<Work> deferredPass = List.of();
    private long deferredPassSequence = Long.MAX_VALUE;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Deque<Snapshot> snapshots = new ArrayDeque<>();
    private long sequence;
    private boolean paused;
    private Duration sweepInterval;
    private java.util.function.Supplier<List<Work>> sweep;
    private long lastSweepNanos = System.nanoTime();
    private java.util.function.Supplier<List<Work>> startupPass;
    private final long startedAtMillis = System.currentTimeMillis();
    /** The group's baseline mark, carried on every commit of partition 0 so later owners see it. */
    private String baselineMark = "";
    private final Backoff backoff = Backoff.reconnect();
    /** When a stop was asked for (0: running). Work still queued then is finished only within the window. */
    private volatile long stopRequestedNanos;

    private record Snapshot(long sequence, Map<TopicPartition, OffsetAndMetadata> offsets) {}

    public ChangeConsumerLoop(KafkaConsumer<String, byte[]> consumer, String topic, RouteTable routes,
                              Coalescer coalescer, WorkDispatcher dispatcher, DeadLetters deadLetters,
                              int queueCapacity, Duration pollTimeout, Listener listener) {
        this.consumer = consumer;
        this.topic = topic;
        this.routes = routes;
        this.coalescer = coalescer;
        this.dispatcher = dispatcher;
        this.deadLetters = deadLetters;
        this.queueCapacity = queueCapacity;
        this.pollTimeout = pollTimeout;
        this.listener = listener == null ? new Listener() { } : listener;
        this.auditLane = new SlowLane("audit", dispatcher, this.listener);
        this.probeLane = new SlowLane("probe", dispatcher, this.listener);
        this.passLane = new SlowLane("pass", dispatcher, this.listener);
    }

    /**
     * Adds the slow safety-net sweep: every {@code interval}, the worker that owns partition 0 of the changes topic
     * (exactly one in the group) queues {@code work}. Call before {@link #run()}.
     */
    public ChangeConsumerLoop withSweep(Duration interval, java.util.function.Supplier<List<Work>> work) {
        this.sweepInterval = interval;
        this.sweep = work;
        return this;
    }

    /**
     * Adds the baseline pass at start: the worker that owns partition 0 when it is first assigned queues
     * {@code work} once, unless another member of the group already queued one after this worker started (workers
     * started together share one pass). The time of the pass travels as the metadata of partition 0's committed
     * offset: Kafka holds it, no worker does. Call before {@link #run()}.
     */
    public ChangeConsumerLoop withStartupPass(java.util.function.Supplier<List<Work>> work) {
        this.startupPass = work;
        return this;
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Finish what we hold for these partitions so the next owner does not redo it.
                drainAndCommit(true);
                dispatcher.reassigned(false);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.info("[route] assigned {}", partitions);
                dispatcher.reassigned(ownsEveryPartition());
                maybeQueueStartupPass(partitions);
            }
        });
        try {
            while (running.get()) {
                try {
                    pollOnce();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Kafka unreachable (poll, commit or seek timed out): nothing was committed past what was
                    // published, so start over from the last commit once it answers again.
                    rewind(e);
                }
            }
            readPublished();
            drainAndCommit(true);
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
            readPublished();
            drainAndCommit(true);
        } finally {
            auditLane.close();
            probeLane.close();
            passLane.close();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Whether this worker reads every partition of the changes topic (false when that cannot be told). */
    private boolean ownsEveryPartition() {
        try {
            List<PartitionInfo> all = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            return all != null && !all.isEmpty() && consumer.assignment().size() == all.size();
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            return false;
        }
    }

    private void pollOnce() {
        ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
        try {
            maybeSweep(take(records));
        } catch (Exception e) {
            rewind(e);
            return;
        }
        drainAndCommit(false);
        applyBackpressure();
    }

    /**
     * Stopping: reads what capture had published when the stop came, within half the drain window, so an orderly
     * stop leaves the next owner nothing to read again (the record a SIGTERM arrives just after is checked and
     * committed, not read twice). Capture stops alongside; what it publishes after that is the next owner's.
     */
    private void readPublished() {
        long deadline = stopRequestedNanos + STOP_DRAIN_WINDOW.toNanos() / 2;
        Map<TopicPartition, Long> end = null;
        while (System.nanoTime() < deadline && consumer.paused().isEmpty()) {
            try {
                if (end == null) {
                    end = consumer.endOffsets(consumer.assignment(),
                            Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                }
                if (end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    return;
                }
                take(consumer.poll(Duration.ofMillis(50)));
            } catch (WakeupException e) {
                // The stop's own wakeup, delivered to this call rather than to the loop's poll.
            } catch (Exception e) {
                LOG.info("[route] stopping: could not read the changes published before the stop ({}); the next "
                        + "owner reads them", e.toString());
                return;
            }
        }
    }

    /** Routes one poll's records under a new sequence number, and notes the positions that poll reached. */
    private long take(ConsumerRecords<String, byte[]> records) throws Exception {
        long seq = ++sequence;
        for (ConsumerRecord<String, byte[]> record : records) {
            handle(record, seq);
        }
        if (!records.isEmpty()) {
            snapshots.add(new Snapshot(seq, positions()));
        }
        return seq;
    }

    private void maybeSweep(long seq) {
        if (sweep == null || System.nanoTime() - lastSweepNanos < sweepInterval.toNanos()) {
            return;
        }
        lastSweepNanos = System.nanoTime();
        if (consumer.assignment().contains(new TopicPartition(topic, 0))) {
            sweep.get().forEach(w -> coalescer.add(w, seq));
        }
    }

    private void maybeQueueStartupPass(Collection<TopicPartition> assigned) {
        TopicPartition first = new TopicPartition(topic, 0);
        if (!assigned.contains(first)) {
            return;
        }
        OffsetAndMetadata committed = consumer.committed(java.util.Set.of(first)).get(first);
        String mark = committed == null ? "" : committed.metadata();
        long markedAt = BaselineMark.parse(mark);
        if (startupPass == null || markedAt >= startedAtMillis) {
            baselineMark = mark == null ? "" : mark; // carry the group's mark forward on our commits
            if (startupPass != null) {
                startupPass = null;
                LOG.info("[route] another worker of the group queued the baseline pass since this one started");
            }
            return;
        }
        List<Work> work = startupPass.get();
        startupPass = null;
        work.forEach(w -> coalescer.add(w, sequence));
        baselineMark = BaselineMark.format(System.currentTimeMillis());
        long offset = committed != null ? committed.offset() : consumer.position(first);
        try {
            consumer.commitSync(Map.of(first, new OffsetAndMetadata(offset, baselineMark)));
        } catch (KafkaException e) {
            // The pass runs anyway; a member joining meanwhile may run a second one.
            LOG.warn("[route] could not record the baseline pass in the group ({})", e.toString());
        }
        LOG.info("[route] queued the baseline pass ({} check groups)", work.size());
    }

    private void handle(ConsumerRecord<String, byte[]> record, long seq) throws Exception {
        ChangeEvent event;
        try {
            event = Contracts.decode(record.value(), ChangeEvent.class);
        } catch (ContractException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        if (routes.isOwnObject(event)) {
            LOG.debug("[route] ignored a change to deltawatch's own {}", event.schemaChange().objectIdentity());
            return;
        }
        if (!routes.isWatched(event)) {
            deadLetter(record, "table '" + event.table() + "' is not watched by this target");
            return;
        }
        for (Work w : routes.route(event)) {
            coalescer.add(w, seq);
        }
        listener.changeRouted(event);
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) throws Exception {
        deadLetters.send(record, reason);
        listener.deadLettered(reason);
        LOG.warn("[route] dead-lettered {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
    }

    /**
     * Dispatches due work (or all of it), then commits the offsets of every fully dispatched poll: one older than
     * whatever is still pending here or running on a lane. Stopping, queued work is started only within
     * {@link #STOP_DRAIN_WINDOW} of the request (a SIGTERM allows 10 s in all); what is left is not committed, so the
     * next owner reads it again.
     */
    private void drainAndCommit(boolean everything) {
        Exception laneFailed = takeLaneFailure();
        if (laneFailed != null) {
            rewind(laneFailed);
            return;
        }
        boolean stopping = everything && stopRequestedNanos != 0;
        boolean abandon = stopping && System.nanoTime() - stopRequestedNanos > STOP_DRAIN_WINDOW.toNanos();
        if (abandon && coalescer.pendingRecords() > 0) {
            LOG.info("[route] stopping: leaving queued work uncommitted for the next owner");
        }
        boolean dispatched;
        try {
            dispatched = abandon ? false : everything ? dispatchAll(stopping) : dispatchDue();
        } catch (Exception e) {
            rewind(e);
            return;
        }
        long oldest = Math.min(Math.min(coalescer.oldestPendingSequence(), auditLane.heldSequence()),
                Math.min(Math.min(probeLane.heldSequence(), passLane.heldSequence()), deferredPassSequence));
        Snapshot safe = null;
        while (!snapshots.isEmpty() && snapshots.peekFirst().sequence() < oldest) {
            safe = snapshots.pollFirst();
        }
        if (safe != null) {
            try {
                consumer.commitSync(safe.offsets());
                backoff.reset();
            } catch (WakeupException e) {
                throw e;
            } catch (KafkaException e) {
                // The work is published; a later commit covers these offsets, or they are read again: never lost.
                LOG.warn("[route] could not commit offsets ({}); they are committed with the next batch", e.toString());
            }
        } else if (dispatched) {
            backoff.reset();
        }
    }

    /** The failure of a background lane, once (the first; one rewind covers all of them). */
    private Exception takeLaneFailure() {
        Exception first = null;
        for (SlowLane lane : List.of(auditLane, probeLane, passLane)) {
            Exception failed = lane.takeFailure();
            if (first == null) {
                first = failed;
            } else if (failed != null) {
                first.addSuppressed(failed);
            }
        }
        return first;
    }

    /**
     * Due work of all lanes: the quick audits' batch and the long probes' batch start each on its lane when it is
     * free, the record checks run on this thread, then a pass over every record starts on its lane when that is free;
     * what finds its lane busy goes on coalescing. Returns whether anything was dispatched.
     */
    private boolean dispatchDue() throws Exception {
        boolean started = startSlow(auditLane, g -> g.slow() && !g.runsLong());
        started |= startSlow(probeLane, CheckGroup::runsLong);
        List<Work> records = coalescer.due(this::onLoopThread);
        if (!records.isEmpty()) {
            dispatcher.dispatch(records);
            listener.dispatched(records);
        }
        // After the records: those changed while a pass ran are verified before the next pass starts.
        boolean passStarted = startPass();
        return passStarted || started || !records.isEmpty();
    }

    /** Starts the due work of the slow groups {@code which} accepts on {@code lane}, when the lane is free. */
    private boolean startSlow(SlowLane lane, java.util.function.Predicate<CheckGroup> which) {
        if (lane.busy()) {
            return false;
        }
        long held = coalescer.oldestPendingSequence(which);
        List<Work> work = coalescer.due(which);
        if (work.isEmpty()) {
            return false;
        }
        lane.start(work, held);
        return true;
    }

    /**
     * Starts a due pass over every record on the pass lane when it is free (the one taken aside earlier and one just
     * due, as one: {@link Coalescer#combinedPasses}); while the lane is busy, a due pass waits apart.
     */
    private boolean startPass() {
        if (passLane.busy()) {
            deferPass();
            return false;
        }
        boolean queued = coalescer.holdsAll(CheckGroup.MERGE_RECORDS);
        long held = Math.min(deferredPassSequence, queued
                ? coalescer.oldestPendingSequence(g -> g == CheckGroup.MERGE_RECORDS) : Long.MAX_VALUE);
        List<Work> due = queued ? coalescer.due(g -> g == CheckGroup.MERGE_RECORDS) : List.of();
        if (due.isEmpty()) {
            held = deferredPassSequence;
        }
        List<Work> pass = Coalescer.combinedPasses(deferredPass, due);
        if (pass.isEmpty()) {
            return false;
        }
        deferredPass = List.of();
        deferredPassSequence = Long.MAX_VALUE;
        passLane.start(pass, held);
        return true;
    }

    /**
     * Takes a due pass over every record out of the coalescer while the pass lane is busy, to start it once the lane
     * is free: changed records then gather apart again and are verified meanwhile (they run before the pass, which
     * starts later and reads later rows, so the order of runs holds). A second pass due meanwhile joins the one
     * waiting ({@link Coalescer#combinedPasses}), which starts after both were asked for.
     */
    private void deferPass() {
        if (!coalescer.holdsAll(CheckGroup.MERGE_RECORDS)) {
            return;
        }
        long sequence = coalescer.oldestPendingSequence(g -> g == CheckGroup.MERGE_RECORDS);
        List<Work> pass = coalescer.due(g -> g == CheckGroup.MERGE_RECORDS);
        if (pass.isEmpty()) {
            return; // its window has not passed yet
        }
        deferredPass = Coalescer.combinedPasses(deferredPass, pass);
        // The running pass may stop early now; until the waiting one is done, offsets stay behind what it held.
        deferredPassSequence = Math.min(deferredPassSequence, Math.min(sequence, passLane.heldSequence()));
        dispatcher.passWaiting();
    }

    /**
     * Whether a group's due work runs on this thread now. The record checks do, except while their own pass over
     * every record is gathering in the coalescer (it absorbs them) or running on the pass lane: then changed records
     * wait for it, so the runs of {@code merge.differential} never overlap and each finding's lifecycle events keep
     * their order. The passive version check never waits.
     */
    private boolean onLoopThread(CheckGroup g) {
        return !g.slow() && !passLane.runs(g) && !coalescer.holdsAll(g);
    }

    /**
     * Everything, on this thread, once all lanes are idle (a rebalance hands the partitions over finished). When
     * stopping, the lanes are awaited only within the drain window; if one is still busy then, the slow groups and the
     * record checks it runs stay queued (uncommitted) rather than run twice at once.
     */
    private boolean dispatchAll(boolean stopping) throws Exception {
        Duration wait = stopping ? STOP_DRAIN_WINDOW.minusNanos(System.nanoTime() - stopRequestedNanos) : FOREVER;
        long deadline = System.nanoTime() + (wait.isNegative() ? 0 : wait.toNanos());
        boolean idle = true;
        for (SlowLane lane : List.of(auditLane, probeLane, passLane)) {
            idle &= lane.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        Exception laneFailed = takeLaneFailure();
        if (laneFailed != null) {
            throw laneFailed;
        }
        List<Work> all = new ArrayList<>(idle ? coalescer.flush()
                : coalescer.flush(g -> !g.slow() && !passLane.runs(g)));
        if (idle) {
            all.addAll(deferredPass);
            deferredPass = List.of();
            deferredPassSequence = Long.MAX_VALUE;
        }
        if (all.isEmpty()) {
            return false;
        }
        dispatcher.dispatch(all);
        listener.dispatched(all);
        return true;
    }

    private void rewind(Exception cause) {
        Duration wait = backoff.next();
        LOG.warn("[route] could not finish a batch ({}); re-reading from the last committed offsets in {} ms",
                cause.toString(), wait.toMillis());
        listener.rewound(cause);
        coalescer.flush();
        deferredPass = List.of();
        deferredPassSequence = Long.MAX_VALUE;
        snapshots.clear();
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return;
        }
        var committed = consumer.committed(consumer.assignment());
        for (TopicPartition tp : consumer.assignment()) {
            OffsetAndMetadata c = committed.get(tp);
            if (c != null) {
                consumer.seek(tp, c.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }

    private void applyBackpressure() {
        int capacity = passLane.busy() ? queueCapacity * PASS_BACKLOG_FACTOR : queueCapacity;
        boolean full = coalescer.pendingRecords() >= capacity;
        if (full && !paused) {
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (!full && paused) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> positions() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            out.put(tp, tp.partition() == 0 ? new OffsetAndMetadata(consumer.position(tp), baselineMark)
                    : new OffsetAndMetadata(consumer.position(tp)));
        }
        return out;
    }

    @Override
    public void close() {
        stopRequestedNanos = System.nanoTime();
        running.set(false);
        consumer.wakeup();
    }
}
