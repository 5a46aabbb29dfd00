package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Finding;
import java.util.List;

/** One run of one check: the audit record and the results it produced (empty on ERROR or SKIPPED). */
public record CheckExecution(CheckRun run, List<CheckResult> results) {
    public CheckExecution {
        results = List.copyOf(results);
    }

    public List<Finding> findings() {
        return results.stream().filter(CheckResult::failed).map(CheckResult::finding).toList();
    }
}
