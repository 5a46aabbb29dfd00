package dev.deltawatch.worker.publish.report;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckExecution;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Everything one {@code check} invocation produced, in the order the checks ran, plus an appendix of tables that
 * are worth showing even when nothing failed (the observed isolation matrix), as title -> pipe-separated rows.
 */
public record CheckReport(String target, Instant startedAt, List<CheckExecution> executions,
                          Map<String, String> appendix) {
    public CheckReport {
        executions = List.copyOf(executions);
        appendix = appendix == null ? Map.of() : Map.copyOf(appendix);
    }

    public CheckReport(String target, Instant startedAt, List<CheckExecution> executions) {
        this(target, startedAt, executions, Map.of());
    }

    public List<Finding> findings() {
        return executions.stream().flatMap(e -> e.findings().stream())
                .sorted(Comparator.comparing(Finding::severity).thenComparing(Finding::family)
                        .thenComparing(Finding::title))
                .toList();
    }

    public List<CheckRun> errors() {
        return executions.stream().map(CheckExecution::run).filter(r -> r.outcome() == CheckRun.Outcome.ERROR)
                .toList();
    }

    /** Runs of checks that did not run to the end: ERROR (could not run) first, then SKIPPED (nothing to do). */
    public List<CheckRun> notRun() {
        return executions.stream().map(CheckExecution::run)
                .filter(r -> r.outcome() == CheckRun.Outcome.ERROR || r.outcome() == CheckRun.Outcome.SKIPPED)
                .sorted(Comparator.comparing((CheckRun r) -> r.outcome() != CheckRun.Outcome.ERROR))
                .toList();
    }

    /**
     * True when a check could not run: its question is unanswered, so "no BLOCKER or HIGH open" proves nothing.
     * {@code check} exits 2 on it, before looking at the findings.
     */
    public boolean incomplete() {
        return !errors().isEmpty();
    }

    /** True when a BLOCKER or HIGH finding is open: a migration pipeline should stop. */
    public boolean failsPipeline() {
        return findings().stream().map(Finding::severity).anyMatch(Severity::failsPipeline);
    }

    public long count(Severity severity) {
        return findings().stream().filter(f -> f.severity() == severity).count();
    }
}
