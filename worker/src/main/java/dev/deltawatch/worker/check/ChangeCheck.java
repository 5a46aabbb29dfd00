package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.ChangeEvent;
import java.util.List;

/**
 * A check that judges captured changes themselves rather than querying the target (e.g. version discipline
 * from before/after images). Same contract as {@link Check#run}: one result per subject examined, never null;
 * an exception means it could not complete.
 */
public interface ChangeCheck extends Check {
    List<CheckResult> evaluate(CheckContext context, List<ChangeEvent> changes) throws Exception;
}
