package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.worker.findings.DefectGroups;
import java.util.List;

/**
 * One run of one check: the audit record and the results it produced (empty on ERROR or SKIPPED). The results are
 * per record (the detail {@code check --detail records} shows); {@link #findings} are per defect.
 */
public record CheckExecution(CheckRun run, List<CheckResult> results) {
    public CheckExecution {
        // A full pass's compact results stay compact (a copy would make every pass an object again).
        results = results instanceof CompactResults compact ? compact.sealed() : List.copyOf(results);
    }

    /** One finding per defect ({@link DefectGroups}): records failing a rule the same way are one finding. */
    public List<Finding> findings() {
        return DefectGroups.findings(run.family(), run.target(), CompactResults.grouping(results));
    }
}
