package dev.deltawatch.worker.check.lock;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.RowImage;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.ChangeCheck;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Passive version discipline, from captured before/after images; it writes nothing. The router hands it each
 * batch of change events ({@link #evaluate}); for every UPDATE of a watched table:
 * <ul>
 *   <li>the delta changed but the version did not: HIGH {@value #RULE_BYPASS}, naming the transaction;</li>
 *   <li>the version changed by anything but +1: HIGH {@value #RULE_STEP};</li>
 *   <li>two versioned delta updates (each moved the version) of one record from the same before-version: BLOCKER
 *       {@value #RULE_LOST}, naming both transactions (the second overwrote the first without seeing it).</li>
 * </ul>
 * Findings are per record ({@code record} subject {@code schema.table/key}); each record with a judged update in
 * the batch gets a pass or a failure for every rule, so the lifecycle resolves a record's finding only when that
 * record is written cleanly again.
 * Partial images ({@code complete = false}) and the lock probes' own rows (mirror tagged {@code deltawatch_probe})
 * are skipped. State is bounded: the last {@value #PER_RECORD}
 * before-versions per record, at most {@code maxRecords} records (least recently seen evicted), none older than
 * {@code window}. Duplicate deliveries (same event id) are ignored. Thread-safe ({@code evaluate} is synchronized).
 */
public final class VersionDisciplineCheck implements ChangeCheck {
    public static final String RULE_BYPASS = "write-bypasses-optimistic-locking";
    public static final String RULE_STEP = "version-step-not-one";
    public static final String RULE_LOST = "lost-update-observed";
    static final int PER_RECORD = 4;
    private static final int EXAMPLES = 10;

    private record Seen(long beforeVersion, boolean versioned, String eventId, Long txId, Instant at) {}

    private final int maxRecords;
    private final Duration window;
    private final Map<String, Deque<Seen>> recent;

    public VersionDisciplineCheck(int maxRecords, Duration window) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be >= 1, was " + maxRecords);
        }
        this.maxRecords = maxRecords;
        this.window = Objects.requireNonNull(window, "window");
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<Seen>> eldest) {
                return size() > VersionDisciplineCheck.this.maxRecords;
            }
        };
    }

    @Override
    public String name() {
        return "lock.version-discipline";
    }

    @Override
    public String family() {
        return "lock";
    }

    /** Passive only: it has nothing to do for a scheduled or manual scope; see {@link #evaluate}. */
    @Override
    public boolean appliesTo(CheckScope scope) {
        return false;
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) {
        return List.of();
    }

    /** Records currently remembered (bounded by {@code maxRecords}). */
    public synchronized int trackedRecords() {
        return recent.size();
    }

    /**
     * Evaluates one batch of captured events (any kinds; only DELTA_ROW updates count). Returns, per record with a
     * judged delta update in the batch and per rule, a pass or one failure carrying up to ten examples. A record
     * is its own subject: a clean write to one record never resolves another's finding, and a record's finding
     * resolves when that record is next written cleanly.
     */
    @Override
    public synchronized List<CheckResult> evaluate(CheckContext context, List<ChangeEvent> events) {
        Map<Subject, Map<String, List<String>>> judged = new LinkedHashMap<>();
        for (ChangeEvent e : events) {
            if (e.kind() != ChangeEvent.Kind.DELTA_ROW || e.operation() != ChangeEvent.Operation.UPDATE
                    || isProbeRow(e)) {
                continue;
            }
            Map<String, List<String>> byRule = new TreeMap<>();
            if (inspect(e, byRule)) {
                Map<String, List<String>> record = judged.computeIfAbsent(subject(context, e), r -> new TreeMap<>());
                byRule.forEach((rule, examples) -> examples.forEach(x -> add(record, rule, x)));
            }
        }
        List<CheckResult> out = new ArrayList<>();
        judged.forEach((subject, byRule) -> {
            for (String rule : List.of(RULE_BYPASS, RULE_STEP, RULE_LOST)) {
                List<String> examples = byRule.get(rule);
                out.add(examples == null ? CheckResult.pass(rule, subject)
                        : CheckResult.fail(finding(context, rule, subject, examples)));
            }
        });
        return out;
    }

    /**
     * A lock probe's own row (its mirror tagged, or its delta: a probe-owner draft): its writes are judged by the active probes, per write path, and the row is deleted
     * right after, so a per-record finding on it could never resolve.
     */
    private static boolean isProbeRow(ChangeEvent e) {
        RowImage image = e.after() != null ? e.after() : e.before();
        return image != null && ((image.mirror() != null && image.mirror().has(ProbeRows.TAG))
                || (image.delta() != null && image.delta().has(ProbeRows.TAG)));
    }

    /** The document an event changed: {@code schema.table/key}, as the merge family names records. */
    private static Subject subject(CheckContext context, ChangeEvent e) {
        String table = e.table().contains(".") ? e.table() : context.target().config().schema() + "." + e.table();
        return new Subject("record", table + "/" + e.recordKey());
    }

    /**
     * Adds the event's violations to {@code byRule}; false when the event could not be judged (partial, duplicate)
     * or is no delta write (a mirror-only change, which neither breaks nor proves the write discipline).
     */
    private boolean inspect(ChangeEvent e, Map<String, List<String>> byRule) {
        RowImage before = e.before();
        RowImage after = e.after();
        if (before == null || after == null || !before.complete() || !after.complete()
                || before.version() == null || after.version() == null) {
            return false;
        }
        String record = e.table() + "/" + e.recordKey();
        Deque<Seen> seen = recent.computeIfAbsent(record, r -> new ArrayDeque<>());
        if (seen.stream().anyMatch(s -> s.eventId().equals(e.eventId()))) {
            return false;
        }
        Instant at = e.source().commitTime() != null ? e.source().commitTime() : e.capturedAt();
        seen.removeIf(s -> s.at().isBefore(at.minus(window)));
        long bv = before.version();
        long av = after.version();
        String tx = "tx " + e.source().txId() + " (lsn " + e.source().lsn() + ", event " + e.eventId() + ")";
        boolean deltaChanged = !Objects.equals(before.delta(), after.delta());
        if (av == bv && !deltaChanged) {
            return false; // a mirror-only change (upstream sync): not a delta write, the version may stay
        }
        boolean versioned = av != bv;
        if (!versioned) {
            add(byRule, RULE_BYPASS, "record " + e.recordKey() + ": delta changed, version stayed " + bv + " in " + tx);
        } else if (av != bv + 1) {
            add(byRule, RULE_STEP, "record " + e.recordKey() + ": version " + bv + " -> " + av + " in " + tx);
        }
        // Only two versioned writes from one version prove that one overwrote the other unseen. Unversioned writes
        // share their before-version by construction, even one after the other: that is the bypass, not a race.
        for (Seen s : seen) {
            if (versioned && s.versioned() && s.beforeVersion() == bv) {
                add(byRule, RULE_LOST, "record " + e.recordKey() + ": tx " + s.txId() + " (event " + s.eventId()
                        + ") and " + tx + " both updated from version " + bv);
            }
        }
        seen.addLast(new Seen(bv, versioned, e.eventId(), e.source().txId(), at));
        while (seen.size() > PER_RECORD) {
            seen.removeFirst();
        }
        return true;
    }

    private static void add(Map<String, List<String>> byRule, String rule, String example) {
        List<String> list = byRule.computeIfAbsent(rule, r -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            list.add(example);
        }
    }

    private dev.deltawatch.contracts.Finding finding(CheckContext context, String rule, Subject subject,
                                                     List<String> examples) {
        var b = context.finding(this, rule, RULE_LOST.equals(rule) ? Severity.BLOCKER : Severity.HIGH, subject)
                .evidence("captured updates", "text", String.join("\n", examples));
        return switch (rule) {
            case RULE_BYPASS -> b.title("Write bypasses optimistic locking on " + subject.name())
                    .problem("A delta update committed without bumping the version: concurrent editors holding the "
                            + "old version will not get a conflict, and their writes overwrite this one.")
                    .fix("Route every delta write (including imports and maintenance jobs) through the write function,"
                            + " or add `version = version + 1` and `AND version = $expected` to that UPDATE.")
                    .build();
            case RULE_STEP -> b.title("Version changed by other than +1 on " + subject.name())
                    .problem("Every delta write must bump the version by exactly one; a jump or a decrease breaks "
                            + "clients that compare versions and hides or invents edits.")
                    .fix("Use `SET version = version + 1` in the write path; never assign the version from input.")
                    .build();
            default -> b.title("Lost update observed on " + subject.name())
                    .problem("Two committed updates of one record started from the same version: the second one "
                            + "overwrote the first without seeing it.")
                    .fix("Add `AND version = $expected` to the write path's UPDATE and raise the conflict error when "
                            + "no row matched.")
                    .build();
        };
    }
}
