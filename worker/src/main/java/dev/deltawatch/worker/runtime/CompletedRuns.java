package dev.deltawatch.worker.runtime;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.publish.CompletedRun;
import java.time.Duration;

/** Bridges a check execution to what the findings publisher records. */
final class CompletedRuns {
    private CompletedRuns() {}

    static CompletedRun of(CheckExecution e) {
        CheckRun r = e.run();
        Duration d = Duration.ofMillis(r.durationMs());
        return r.outcome() == CheckRun.Outcome.ERROR
                ? CompletedRun.failed(r.family(), r.check(), r.target(), r.trigger(), r.scope(), r.startedAt(), d,
                        r.error())
                : CompletedRun.of(r.family(), r.check(), r.target(), r.trigger(), r.scope(), r.startedAt(), d,
                        e.results());
    }
}
