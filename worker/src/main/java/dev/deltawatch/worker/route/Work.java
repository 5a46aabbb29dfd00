package dev.deltawatch.worker.route;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Trigger;
import java.util.Objects;

/**
 * One unit of work the router hands to the checks: a group, the scope it covers, and the change that caused it
 * (the newest one, when a batch coalesced several).
 */
public record Work(CheckGroup group, CheckScope scope, Trigger trigger) {
    public Work {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(trigger, "trigger");
    }
}
