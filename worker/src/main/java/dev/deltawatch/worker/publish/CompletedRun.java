package dev.deltawatch.worker.publish;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.CompactResults;
import dev.deltawatch.worker.findings.DefectGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One finished run of one check on one scope, as the runner hands it to {@link FindingPublisher}: every result
 * (passes too, so findings can resolve), or the error that stopped the check.
 *
 * @param changeCommittedAt commit time of the change that triggered the run, when a change did; detection latency
 *                          is measured from it to the publication of the finding
 * @param error             one line saying why the check could not complete; {@code null} when it completed
 * @param everyRecord       the run stands for every record although its scope names some, the others being known
 *                          clean (the records changed since a clean pass, after a revert to its definitions)
 */
public record CompletedRun(String family, String check, String target, Trigger trigger, CheckScope scope,
                           Instant startedAt, Duration duration, List<CheckResult> results, String error,
                           Instant changeCommittedAt, boolean everyRecord) {

    public CompletedRun {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(target, "target");
        trigger = trigger == null ? Trigger.manual() : trigger;
        scope = scope == null ? CheckScope.all() : scope;
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        // A full pass's compact results stay compact (a copy would make every pass an object again).
        results = results == null ? List.of() : results instanceof CompactResults compact ? compact.sealed()
                : List.copyOf(results);
    }

    public static CompletedRun of(String family, String check, String target, Trigger trigger, CheckScope scope,
                                  Instant startedAt, Duration duration, List<CheckResult> results) {
        return new CompletedRun(family, check, target, trigger, scope, startedAt, duration, results, null, null,
                false);
    }

    public static CompletedRun failed(String family, String check, String target, Trigger trigger, CheckScope scope,
                                      Instant startedAt, Duration duration, String error) {
        return new CompletedRun(family, check, target, trigger, scope, startedAt, duration, List.of(), error, null,
                false);
    }

    public CompletedRun withChangeCommittedAt(Instant committedAt) {
        return new CompletedRun(family, check, target, trigger, scope, startedAt, duration, results, error,
                committedAt, everyRecord);
    }

    /** This run standing for every record (see {@code everyRecord}). */
    public CompletedRun standingForEveryRecord() {
        return new CompletedRun(family, check, target, trigger, scope, startedAt, duration, results, error,
                changeCommittedAt, true);
    }

    /** Whether the run tells about every record (or case) its rules cover. */
    public boolean coversAll() {
        return everyRecord || DefectGroups.coversAll(scope);
    }

    public CheckRun.Outcome outcome() {
        if (error != null) {
            return CheckRun.Outcome.ERROR;
        }
        return CompactResults.failures(results) > 0 ? CheckRun.Outcome.FAILED : CheckRun.Outcome.PASSED;
    }

    public CheckRun toCheckRun() {
        int failures = CompactResults.failures(results);
        return new CheckRun(CheckRun.SCHEMA_VERSION, UUID.randomUUID().toString(), family, check, target, trigger,
                scope, outcome(), startedAt, duration.toMillis(), failures, error);
    }
}
