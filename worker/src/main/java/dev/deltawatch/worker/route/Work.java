package dev.deltawatch.worker.route;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One unit of work the router hands to the checks: a group, the scope it covers, and the change that caused it
 * (the newest one, when a batch coalesced several). Groups that judge the changes themselves (the passive
 * version check reads before/after images) get the events too; for the others {@code events} is empty.
 * {@code changeCommittedAt} is the commit time of the triggering change (detection latency is measured from it);
 * null for scheduled or manual work.
 */
public record Work(CheckGroup group, CheckScope scope, Trigger trigger, List<ChangeEvent> events,
                   Instant changeCommittedAt) {
    public Work {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(trigger, "trigger");
        events = events == null ? List.of() : List.copyOf(events);
    }

    public Work(CheckGroup group, CheckScope scope, Trigger trigger) {
        this(group, scope, trigger, List.of(), null);
    }

    public Work(CheckGroup group, CheckScope scope, Trigger trigger, List<ChangeEvent> events) {
        this(group, scope, trigger, events, null);
    }
}
