package dev.deltawatch.worker.runtime;

import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.route.FunctionRedefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells how much of a pass over every record that a function's redefinition asks for is worth running, when every
 * function reads as it did during an earlier pass that found every record clean ({@link FunctionDefinitions}):
 * every record that did not change since merges as it did then, so only the records changed since need verifying.
 * That is a revert (a bad merge deployed, then the previous one back), and a deploy that runs {@code CREATE OR
 * REPLACE FUNCTION} on every release with the same text. At a million records a pass costs a PostgreSQL core for
 * half a minute; the records changed since are a few thousand, and with none, nothing runs (unless a pass since
 * found something: only a run may resolve it). Which records changed is what this worker was handed to verify since:
 * the keys of the changed-record work, so it must be handed every change ({@link #reassigned}). Whatever text was
 * in place when those were verified (a bad merge, for a second) does not matter: they are verified again.
 *
 * <p>A pass during which any function was replaced, or one with a check that could not run or a record that
 * failed, is not remembered. A pass for another reason (a table change, the schedule, start-up) runs whole and
 * forgets the clean passes before it: a change that is not a function's text (a column type, a cast) can change
 * merged values too. Thread-safe.
 */
final class RedundantPasses {
    private static final Logger LOG = LoggerFactory.getLogger(RedundantPasses.class);

    /**
     * Changed keys kept (with repeats): about 10 MB of heap. Past it the clean passes are forgotten, and a revert to
     * them runs a whole pass, which at that many changes costs little more.
     */
    static final int MAX_LOGGED_KEYS = 200_000;
    /** Clean passes remembered, by definitions: the last few deploys a revert can return to. */
    private static final int MAX_CLEAN_PASSES = 8;

    /**
     * What to do with a pass: run it over every record, skip it, or verify only {@code changed}; {@code start} is
     * where it started in the change log.
     */
    record Plan(Kind kind, List<String> changed, Mark start) {
        enum Kind { EVERY_RECORD, SKIP, CHANGED_SINCE_CLEAN }
    }

    /** Where a pass started in the change log; a reassignment in between voids it. */
    record Mark(long epoch, long position) {}

    /** A clean pass: where it started in the change log, and whether a pass since published a failure. */
    private record CleanPass(long since, boolean failuresSince) {}

    /** Text hash of a clean pass's definitions → that pass. */
    private final Map<String, CleanPass> clean = new LinkedHashMap<>();
    /** Where the passes running now started: the keys changed since are kept for them, as they may end clean. */
    private final List<Long> running = new ArrayList<>();
    /** Keys of the changed-record work since the oldest of those; {@code logBase} is the position of the first. */
    private final List<String> changedKeys = new ArrayList<>();
    private long logBase;
    private long epoch;
    private boolean wholeStream = true;

    /** The definitions now; null when they cannot be read (the pass then runs and is not remembered). */
    FunctionDefinitions read(CheckContext context) {
        try (Connection c = context.connect(true)) {
            FunctionDefinitions now = FunctionDefinitions.read(c);
            c.rollback();
            return now;
        } catch (SQLException e) {
            LOG.warn("[route] function definitions unreadable, the pass runs: {}", e.getMessage());
            return null;
        }
    }

    /**
     * This worker is now handed every change ({@code everyPartition}) or some. Either way what it remembers is void:
     * changes handed to another worker meanwhile were never seen here.
     */
    synchronized void reassigned(boolean everyPartition) {
        wholeStream = everyPartition;
        running.clear();
        forgetCleanPasses();
        epoch++;
    }

    /** Records about to be verified because they changed. */
    synchronized void changed(List<String> keys) {
        if (!wholeStream || clean.isEmpty() && running.isEmpty()) {
            return;
        }
        changedKeys.addAll(keys);
        if (changedKeys.size() > MAX_LOGGED_KEYS) {
            LOG.info("[route] more than {} changed records since a clean pass: a redefinition back to the text of "
                    + "the clean passes so far will run a pass over every record", MAX_LOGGED_KEYS);
            running.clear(); // those passes will not be remembered as clean either
            forgetCleanPasses();
        }
    }

    /** What to do with the pass {@code trigger} asks for, the definitions being {@code now}. */
    synchronized Plan plan(Trigger trigger, FunctionDefinitions now) {
        Mark start = new Mark(epoch, logBase + changedKeys.size());
        if (!FunctionRedefinition.is(trigger)) {
            forgetCleanPasses();
        } else if (now != null && wholeStream && clean.containsKey(now.textHash())) {
            CleanPass pass = clean.get(now.textHash());
            List<String> changed = List.copyOf(new LinkedHashSet<>(changedKeys.subList((int) (pass.since() - logBase),
                    changedKeys.size())));
            if (!changed.isEmpty()) {
                running.add(start.position());
                return new Plan(Plan.Kind.CHANGED_SINCE_CLEAN, changed, start);
            }
            if (!pass.failuresSince()) {
                return new Plan(Plan.Kind.SKIP, changed, start);
            }
            // With no record to verify, no run would say which rules it covered: none could resolve the failures.
        }
        if (wholeStream) {
            running.add(start.position());
        }
        return new Plan(Plan.Kind.EVERY_RECORD, List.of(), start);
    }

    /**
     * After a pass {@code plan} did not skip (also when it threw): remembered as clean when every check ran, no
     * function was replaced while it ran and no record failed. One that published failures marks the clean passes
     * remembered: a redefinition back to their text with no record changed must still run, to resolve them.
     */
    synchronized void completed(Plan plan, FunctionDefinitions before, FunctionDefinitions after,
                                boolean everyCheckRan, boolean passed) {
        boolean current = plan.start().epoch() == epoch;
        boolean tracked = current && running.remove(Long.valueOf(plan.start().position()));
        if (everyCheckRan && !passed) {
            clean.replaceAll((text, pass) -> new CleanPass(pass.since(), true));
        }
        if (tracked && everyCheckRan && passed && before != null && before.equals(after)) {
            clean.remove(before.textHash());
            clean.put(before.textHash(), new CleanPass(plan.start().position(), false));
            while (clean.size() > MAX_CLEAN_PASSES) {
                clean.remove(clean.entrySet().stream().min(Map.Entry.comparingByValue(
                        java.util.Comparator.comparingLong(CleanPass::since))).orElseThrow().getKey());
            }
        }
        trimLog();
    }

    private void forgetCleanPasses() {
        clean.clear();
        trimLog();
    }

    /** Drops the keys no remembered clean pass nor running pass needs. */
    private void trimLog() {
        long oldest = Stream.concat(clean.values().stream().map(CleanPass::since), running.stream())
                .mapToLong(Long::longValue).min().orElse(logBase + changedKeys.size());
        int drop = (int) (oldest - logBase);
        if (drop > 0) {
            changedKeys.subList(0, drop).clear();
            logBase = oldest;
        }
    }
}
