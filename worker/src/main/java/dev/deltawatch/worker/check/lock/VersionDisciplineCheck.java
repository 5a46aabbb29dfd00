package dev.deltawatch.worker.check.lock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.RowImage;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.ChangeCheck;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.Documents;
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
 * batch of change events ({@link #evaluate}) of the table holding the version; for every UPDATE (and, where the
 * config says {@code firstWriteCreates} and the version is an integer, every INSERT of a first delta: version 0 to
 * its value):
 * <ul>
 *   <li>the delta changed but the version (integer or token) did not: HIGH {@value #RULE_BYPASS}, naming the
 *       transaction;</li>
 *   <li>an integer version changed by anything but +1: HIGH {@value #RULE_STEP} (a token may change to anything);</li>
 *   <li>two versioned delta updates (each moved the version) of one document from the same before-version: BLOCKER
 *       {@value #RULE_LOST}, naming both transactions (the second overwrote the first without seeing it).</li>
 * </ul>
 * Findings are per document: (record key, owner), subject {@code schema.mirror_table/key[ / owner o]} as the merge
 * family names documents ({@link Documents#subject}). Saves of two owners on one record are two documents, never a
 * lost update. Each document with a judged write in the batch gets a pass or a failure for every rule, so the
 * lifecycle resolves a document's finding only when that document is written cleanly again.
 * Partial images ({@code complete = false}) and the lock probes' own writes (a mirror tagged {@code deltawatch_probe},
 * the probe owner, or a delta with a {@code deltawatch_probe*} field) are skipped. State is bounded: the last
 * {@value #PER_RECORD} before-versions per document, at most {@code maxRecords} documents (least recently seen
 * evicted), none older than {@code window}. Duplicate deliveries (same event id) are ignored. Thread-safe
 * ({@code evaluate} is synchronized).
 */
public final class VersionDisciplineCheck implements ChangeCheck {
    public static final String RULE_BYPASS = "write-bypasses-optimistic-locking";
    public static final String RULE_STEP = "version-step-not-one";
    public static final String RULE_LOST = "lost-update-observed";
    static final int PER_RECORD = 4;
    private static final int EXAMPLES = 10;

    /** {@code beforeVersion}: the integer as text, or the token. */
    private record Seen(String beforeVersion, boolean versioned, String eventId, Long txId, Instant at) {}

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
        TargetConfig.Version version = context.target().config().documents().version();
        for (ChangeEvent e : events) {
            if (e.kind() != ChangeEvent.Kind.DELTA_ROW || !judgedOperation(e, version)
                    || isProbeWrite(e, context.target().config().probes())) {
                continue;
            }
            Subject subject = Documents.subject(context.target(), e.recordKey(), e.owner());
            Map<String, List<String>> byRule = new TreeMap<>();
            if (inspect(e, subject.name(), version.kind() == TargetConfig.Version.Kind.TOKEN, byRule)) {
                Map<String, List<String>> record = judged.computeIfAbsent(subject, r -> new TreeMap<>());
                byRule.forEach((rule, examples) -> examples.forEach(x -> add(record, rule, x)));
            }
        }
        List<CheckResult> out = new ArrayList<>();
        // One defect per rule and table: a maintenance UPDATE of 3,000 deltas without a bump is one finding (with
        // its count and first records), never 3,000; each record stays its own subject for the lifecycle.
        String table = Documents.table(context.target());
        Subject defect = new Subject("version-discipline", table);
        judged.forEach((subject, byRule) -> {
            for (String rule : List.of(RULE_BYPASS, RULE_STEP, RULE_LOST)) {
                List<String> examples = byRule.get(rule);
                out.add(examples == null ? CheckResult.pass(rule, subject, defect)
                        : CheckResult.fail(finding(context, rule, subject, table, examples), defect));
            }
        });
        return out;
    }

    /** Updates; and an INSERT of a first delta where it counts as version 0 to an integer version. */
    private static boolean judgedOperation(ChangeEvent e, TargetConfig.Version version) {
        return e.operation() == ChangeEvent.Operation.UPDATE || e.operation() == ChangeEvent.Operation.INSERT
                && version.firstWriteCreates() && version.kind() == TargetConfig.Version.Kind.INTEGER;
    }

    /**
     * A lock probe's own write: its writes are judged by the active probes, per write path, and its documents are
     * deleted right after, so a per-document finding on it could never resolve. Probe rows have a tagged mirror (same
     * row), the probe owner (owner layouts), or probe fields in their delta (probe pages of delta tables).
     */
    private static boolean isProbeWrite(ChangeEvent e, TargetConfig.Probes probes) {
        if (e.owner() != null && e.owner().equals(probes.owner())) {
            return true;
        }
        for (RowImage image : new RowImage[] {e.before(), e.after()}) {
            if (image != null && (image.mirror() != null && image.mirror().has(ProbeRows.TAG)
                    || hasProbeField(image.delta()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasProbeField(JsonNode delta) {
        if (delta == null || !delta.isObject()) {
            return false;
        }
        for (var names = delta.fieldNames(); names.hasNext(); ) {
            if (names.next().startsWith(ProbeRows.TAG)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds the event's violations to {@code byRule}; false when the event could not be judged (partial, duplicate,
     * no version on this table) or is no delta write (a mirror-only change, which neither breaks nor proves the
     * write discipline).
     */
    private boolean inspect(ChangeEvent e, String document, boolean token, Map<String, List<String>> byRule) {
        RowImage before = e.before();
        RowImage after = e.after();
        boolean insert = e.operation() == ChangeEvent.Operation.INSERT;
        if (after == null || !after.complete() || !insert && (before == null || !before.complete())) {
            return false;
        }
        String bv = insert ? "0" : version(before, token);
        String av = version(after, token);
        if (bv == null || av == null) {
            return false;
        }
        Deque<Seen> seen = recent.computeIfAbsent(document, r -> new ArrayDeque<>());
        if (seen.stream().anyMatch(s -> s.eventId().equals(e.eventId()))) {
            return false;
        }
        Instant at = e.source().commitTime() != null ? e.source().commitTime() : e.capturedAt();
        seen.removeIf(s -> s.at().isBefore(at.minus(window)));
        String label = Documents.label(e.recordKey(), e.owner());
        String what = token ? "version token" : "version";
        String tx = "tx " + e.source().txId() + " (lsn " + e.source().lsn() + ", event " + e.eventId() + ")";
        boolean deltaChanged = insert || !Objects.equals(before.delta(), after.delta());
        if (av.equals(bv) && !deltaChanged) {
            return false; // a mirror-only change (upstream sync): not a delta write, the version may stay
        }
        boolean versioned = !av.equals(bv);
        if (!versioned) {
            add(byRule, RULE_BYPASS, label + ": delta changed, " + what + " stayed " + bv + " in " + tx);
        } else if (!token && Long.parseLong(av) != Long.parseLong(bv) + 1) {
            add(byRule, RULE_STEP, label + ": version " + bv + (insert ? " (no delta yet)" : "") + " -> " + av
                    + " in " + tx);
        }
        // Only two versioned writes from one version prove that one overwrote the other unseen. Unversioned writes
        // share their before-version by construction, even one after the other: that is the bypass, not a race.
        for (Seen s : seen) {
            if (versioned && s.versioned() && s.beforeVersion().equals(bv)) {
                add(byRule, RULE_LOST, label + ": tx " + s.txId() + " (event " + s.eventId() + ") and " + tx
                        + " both updated from " + what + " " + bv);
            }
        }
        seen.addLast(new Seen(bv, versioned, e.eventId(), e.source().txId(), at));
        while (seen.size() > PER_RECORD) {
            seen.removeFirst();
        }
        return true;
    }

    /** The image's version as text: the integer, or the token; null when this image carries none. */
    private static String version(RowImage image, boolean token) {
        if (token) {
            return image.versionToken();
        }
        return image.version() == null ? null : image.version().toString();
    }

    private static void add(Map<String, List<String>> byRule, String rule, String example) {
        List<String> list = byRule.computeIfAbsent(rule, r -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            list.add(example);
        }
    }

    private dev.deltawatch.contracts.Finding finding(CheckContext context, String rule, Subject subject, String table,
                                                     List<String> examples) {
        var b = context.finding(this, rule, RULE_LOST.equals(rule) ? Severity.BLOCKER : Severity.HIGH, subject)
                .evidence("captured updates", "text", String.join("\n", examples));
        return switch (rule) {
            case RULE_BYPASS -> b.title("Write bypasses optimistic locking on " + table)
                    .problem("A delta update committed without bumping the version: concurrent editors holding the "
                            + "old version will not get a conflict, and their writes overwrite this one.")
                    .fix("Route every delta write (including imports and maintenance jobs) through the write function,"
                            + " or add `version = version + 1` and `AND version = $expected` to that UPDATE.")
                    .build();
            case RULE_STEP -> b.title("Version changed by other than +1 on " + table)
                    .problem("Every delta write must bump the version by exactly one; a jump or a decrease breaks "
                            + "clients that compare versions and hides or invents edits.")
                    .fix("Use `SET version = version + 1` in the write path; never assign the version from input.")
                    .build();
            default -> b.title("Lost update observed on " + table)
                    .problem("Two committed updates of one document started from the same version: the second one "
                            + "overwrote the first without seeing it.")
                    .fix("Add `AND version = $expected` to the write path's UPDATE and raise the conflict error when "
                            + "no row matched.")
                    .build();
        };
    }
}
