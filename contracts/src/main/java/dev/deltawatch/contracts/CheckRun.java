package dev.deltawatch.contracts;

import java.time.Instant;

/**
 * One execution of one check, as published on {@code deltawatch.check-runs} for audit and dashboards.
 *
 * @param outcome      {@code PASSED} (no failing result), {@code FAILED} (at least one finding),
 *                     {@code ERROR} (the check could not complete; {@code error} says why), {@code SKIPPED}
 * @param findingCount number of failing results the run produced
 * @param error        a one-line reason for {@code ERROR} or {@code SKIPPED}; never a stack trace
 */
public record CheckRun(int schemaVersion, String runId, String family, String check, String target,
                       Trigger trigger, CheckScope scope, Outcome outcome, Instant startedAt, long durationMs,
                       int findingCount, String error) {

    public static final int SCHEMA_VERSION = 1;

    public enum Outcome { PASSED, FAILED, ERROR, SKIPPED }

    public CheckRun {
        Require.version(schemaVersion, SCHEMA_VERSION, "CheckRun");
        Require.text(runId, "runId");
        Require.text(family, "family");
        Require.text(check, "check");
        Require.text(target, "target");
        Require.present(trigger, "trigger");
        Require.present(scope, "scope");
        Require.present(outcome, "outcome");
        Require.present(startedAt, "startedAt");
        if (durationMs < 0) {
            throw new IllegalArgumentException("field 'durationMs' must be >= 0, was " + durationMs);
        }
    }
}
