package dev.deltawatch.worker.route;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Trigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns bursts into batches: a thousand delta updates become a few record-scoped merge checks, and ten DDL
 * statements in one migration become one battery. Work for a group is held until the window since its first
 * arrival has passed, or until it names {@code maxRecords} records. Record scopes merge (ids unioned); an ALL
 * scope absorbs everything else of its group and keeps the trigger of the newest ALL (unless that one is a function
 * redefinition and an earlier one was not, {@link FunctionRedefinition}); object scopes union their names. A SAMPLE
 * stays a sample (the largest size asked) beside the records: it need not contain the records that changed, so it
 * cannot stand in for them, and it must not grow into a full scan either. Not thread-safe: the consumer loop owns
 * it.
 */
public final class Coalescer {
    private final Duration window;
    private final int maxRecords;
    private final Clock clock;
    private final Map<CheckGroup, Pending> pending = new EnumMap<>(CheckGroup.class);

    public Coalescer(Duration window, int maxRecords, Clock clock) {
        this.window = window;
        this.maxRecords = maxRecords;
        this.clock = clock;
    }

    private static final class Pending {
        final Instant since;
        final long sinceSequence;
        boolean all;
        final List<ChangeEvent> events = new ArrayList<>();
        final Set<String> records = new LinkedHashSet<>();
        final Set<String> objects = new LinkedHashSet<>();
        Trigger trigger;
        Instant committedAt;
        int sampleSize;
        Trigger sampleTrigger;

        Pending(Instant since, long sinceSequence) {
            this.since = since;
            this.sinceSequence = sinceSequence;
        }
    }

    public void add(Work work) {
        add(work, 0);
    }

    /**
     * Adds work that came from the poll numbered {@code sequence}. The consumer commits a poll's offsets only once
     * no pending batch holds work from it or an earlier poll ({@link #oldestPendingSequence()}).
     */
    public void add(Work work, long sequence) {
        Pending p = pending.computeIfAbsent(work.group(), g -> new Pending(clock.instant(), sequence));
        if (work.scope().kind() == CheckScope.Kind.SAMPLE) {
            // Kept apart: the records' trigger and commit time (detection latency) must not become the sample's.
            p.sampleSize = Math.max(p.sampleSize, work.scope().sampleSize());
            p.sampleTrigger = work.trigger();
            return;
        }
        // A pass over everything stays the work of what asked for it (the dispatcher reads the trigger to tell a
        // redeploy or a revert of a function); records changing meanwhile are only covered by it.
        boolean pass = work.scope().kind() == CheckScope.Kind.ALL;
        if (!p.all || pass && FunctionRedefinition.laterStands(p.trigger, work.trigger())) {
            p.trigger = work.trigger();
            p.committedAt = work.changeCommittedAt();
        }
        if (work.group().needsEvents()) {
            p.events.addAll(work.events());
        }
        switch (work.scope().kind()) {
            case ALL -> p.all = true;
            case RECORDS -> p.records.addAll(work.scope().ids());
            case OBJECTS -> p.objects.addAll(work.scope().ids());
        }
    }

    /** Batches whose window has passed or that are full. */
    public List<Work> due() {
        return drain(false, g -> true);
    }

    /**
     * Batches of the groups {@code which} accepts whose window has passed or that are full. The others keep
     * gathering: work for a lane that is busy goes on coalescing here until the lane is free.
     */
    public List<Work> due(Predicate<CheckGroup> which) {
        return drain(false, which);
    }

    /** Everything pending, regardless of windows (shutdown, or before committing offsets). */
    public List<Work> flush() {
        return drain(true, g -> true);
    }

    /** Everything pending of the groups {@code which} accepts, regardless of windows. */
    public List<Work> flush(Predicate<CheckGroup> which) {
        return drain(true, which);
    }

    /** Whether work for {@code group} covering everything (scope ALL) is pending. */
    public boolean holdsAll(CheckGroup group) {
        Pending p = pending.get(group);
        return p != null && p.all;
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The lowest poll sequence any pending batch holds work from; {@code Long.MAX_VALUE} when empty. */
    public long oldestPendingSequence() {
        return oldestPendingSequence(g -> true);
    }

    /** As {@link #oldestPendingSequence()}, over the groups {@code which} accepts. */
    public long oldestPendingSequence(Predicate<CheckGroup> which) {
        return pending.entrySet().stream().filter(e -> which.test(e.getKey()))
                .mapToLong(e -> e.getValue().sinceSequence).min().orElse(Long.MAX_VALUE);
    }

    /** Records pending across all groups, for backpressure. */
    public int pendingRecords() {
        return pending.values().stream().mapToInt(p -> p.records.size()).sum();
    }

    private List<Work> drain(boolean everything, Predicate<CheckGroup> which) {
        Instant now = clock.instant();
        List<Work> out = new ArrayList<>();
        var it = pending.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            CheckGroup group = e.getKey();
            Pending p = e.getValue();
            if (!which.test(group)) {
                continue;
            }
            boolean ripe = everything || !now.isBefore(p.since.plus(window)) || p.records.size() >= maxRecords;
            if (!ripe) {
                continue;
            }
            it.remove();
            if (p.all) {
                if (FunctionRedefinition.is(p.trigger)) {
                    // The dispatcher may skip or narrow such a pass: the records it absorbed are verified first.
                    out.addAll(records(group, p));
                }
                out.add(new Work(group, CheckScope.all(), p.trigger, p.events, p.committedAt));
                continue;
            }
            out.addAll(records(group, p));
            if (!p.objects.isEmpty()) {
                out.add(new Work(group, CheckScope.objects(List.copyOf(p.objects)), p.trigger, List.of(), p.committedAt));
            }
            if (p.sampleTrigger != null) {
                out.add(new Work(group, CheckScope.sample(p.sampleSize), p.sampleTrigger, List.of(), null));
            }
        }
        return out;
    }

    /** The records of {@code p}, in batches of at most {@code maxRecords}. */
    private List<Work> records(CheckGroup group, Pending p) {
        List<Work> out = new ArrayList<>();
        List<String> ids = new ArrayList<>(p.records);
        for (int i = 0; i < ids.size(); i += maxRecords) {
            List<String> slice = ids.subList(i, Math.min(ids.size(), i + maxRecords));
            Set<String> keys = Set.copyOf(slice);
            List<ChangeEvent> events = p.events.stream().filter(ev -> keys.contains(ev.recordKey())).toList();
            out.add(new Work(group, CheckScope.records(slice), p.trigger, events, p.committedAt));
        }
        return out;
    }

    /**
     * One pass standing for two drained one after the other (one waiting for its lane, one due since): the other
     * work of both in order, then one pass over every record under the trigger that stands
     * ({@link FunctionRedefinition#laterStands}).
     */
    public static List<Work> combinedPasses(List<Work> earlier, List<Work> later) {
        if (earlier.isEmpty() || later.isEmpty()) {
            return earlier.isEmpty() ? later : earlier;
        }
        List<Work> out = new ArrayList<>();
        Work pass = null;
        for (List<Work> list : List.of(earlier, later)) {
            for (Work w : list) {
                if (w.scope().kind() != CheckScope.Kind.ALL) {
                    out.add(w);
                } else if (pass == null || FunctionRedefinition.laterStands(pass.trigger(), w.trigger())) {
                    pass = w;
                }
            }
        }
        if (pass != null) {
            out.add(pass);
        }
        return out;
    }
}
