package dev.deltawatch.worker.findings;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The lifecycle of findings, as a pure function of (known state, one run's observations) → (new state,
 * announcements). No I/O, no clock: the caller passes the run's time.
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>known</th><th>observed</th><th>announce</th></tr>
 *   <tr><td>nothing</td><td>fail</td><td>OPENED</td></tr>
 *   <tr><td>open (OPENED, UPDATED, REGRESSED)</td><td>fail, same in substance</td><td>nothing; occurrences and
 *       lastSeen bump in the state only</td></tr>
 *   <tr><td>open</td><td>fail, material change ({@link MaterialChange})</td><td>UPDATED</td></tr>
 *   <tr><td>open</td><td>pass</td><td>RESOLVED</td></tr>
 *   <tr><td>RESOLVED</td><td>fail</td><td>REGRESSED</td></tr>
 *   <tr><td>nothing or RESOLVED</td><td>pass</td><td>nothing</td></tr>
 * </table>
 *
 * <p>The state value for a fingerprint is the last announced finding with the counters of silent repeats
 * applied; the compacted findings topic holds exactly the announced ones, so state rebuilt from it after a
 * restart differs only in {@code occurrences}/{@code lastSeen} of silent repeats since the last announcement.
 * Every announced finding has bounded evidence ({@link EvidenceBounds}) and its Markdown rendered.
 */
public final class FindingLifecycle {
    private final MarkdownRenderer renderer;

    public FindingLifecycle(MarkdownRenderer renderer) {
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    public FindingLifecycle() {
        this(new MarkdownRenderer());
    }

    /** The outcome of one run: state entries that changed, and the findings to announce, in order. */
    public record Decision(Map<String, Finding> changed, List<Finding> announcements) {
        public Decision {
            changed = Map.copyOf(changed);
            announcements = List.copyOf(announcements);
        }
    }

    /** One observation's effect: the next state for its fingerprint (null = unchanged) and an optional message. */
    public record Step(Finding next, Finding announcement) {
        static final Step NONE = new Step(null, null);
    }

    /**
     * Applies a run's observations in order. {@code known} is read, never modified. Observations of the same
     * fingerprint within a run apply one after another.
     */
    public Decision decide(Map<String, Finding> known, List<Observation> observations, Trigger trigger, Instant at) {
        Map<String, Finding> changed = new HashMap<>();
        List<Finding> announcements = new ArrayList<>();
        for (Observation o : observations) {
            Finding current = changed.containsKey(o.fingerprint()) ? changed.get(o.fingerprint())
                    : known.get(o.fingerprint());
            Step step = step(current, o, trigger, at);
            if (step.next() != null) {
                changed.put(o.fingerprint(), step.next());
            }
            if (step.announcement() != null) {
                announcements.add(step.announcement());
            }
        }
        return new Decision(changed, announcements);
    }

    /** The effect of one observation on what is known of its fingerprint ({@code null}: never seen). */
    public Step step(Finding known, Observation o, Trigger trigger, Instant at) {
        if (!o.failed()) {
            if (known == null || known.status() == FindingStatus.RESOLVED) {
                return Step.NONE;
            }
            Finding resolved = render(withTrigger(known, trigger).withLifecycle(FindingStatus.RESOLVED,
                    known.firstSeen(), known.lastSeen(), known.occurrences()));
            return announce(resolved);
        }
        Finding seen = EvidenceBounds.bound(o.failure());
        if (known == null) {
            return announce(render(seen.withLifecycle(FindingStatus.OPENED, at, at, 1)));
        }
        long occurrences = known.occurrences() + 1;
        if (known.status() == FindingStatus.RESOLVED) {
            return announce(render(seen.withLifecycle(FindingStatus.REGRESSED, known.firstSeen(), at, occurrences)));
        }
        if (MaterialChange.between(known, seen)) {
            return announce(render(seen.withLifecycle(FindingStatus.UPDATED, known.firstSeen(), at, occurrences)));
        }
        // A repeat: remember it, say nothing. Keep the announced content so drift is measured from it.
        return new Step(known.withLifecycle(known.status(), known.firstSeen(), at, occurrences), null);
    }

    private static Step announce(Finding f) {
        return new Step(f, f);
    }

    private Finding render(Finding f) {
        return f.withMarkdown(renderer.render(f));
    }

    private static Finding withTrigger(Finding f, Trigger trigger) {
        if (trigger == null) {
            return f;
        }
        return new Finding(f.schemaVersion(), f.fingerprint(), f.family(), f.rule(), f.severity(), f.status(),
                f.title(), f.target(), f.subject(), f.evidence(), f.problem(), f.fix(), f.expectedImprovement(),
                f.reproductionSql(), trigger, f.firstSeen(), f.lastSeen(), f.occurrences(), f.markdown());
    }

    /** Whether a finding in this state counts as open (for gauges and alerts). */
    public static boolean isOpen(Finding f) {
        return f.status() != FindingStatus.RESOLVED;
    }
}
