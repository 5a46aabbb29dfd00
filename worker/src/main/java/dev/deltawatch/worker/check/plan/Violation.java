package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Severity;
import java.util.List;

/**
 * A rule's verdict against one plan node of one parameter set, with what a finding needs.
 *
 * @param rule                rule name
 * @param severity            the rule's severity
 * @param title               one line, e.g. "Sequential scan on public.pfa_records (100000 rows)"
 * @param problem             what is wrong and why it matters
 * @param fix                 the statement to run
 * @param expectedImprovement what the fix should bring (replaced by a measurement under verify-fixes)
 * @param set                 the parameter set whose plan shows it
 * @param node                the offending node
 * @param evidence            rule-specific evidence besides the node and timings
 * @param index               the index the fix creates, when it is one (verify-fixes can measure it)
 */
public record Violation(String rule, Severity severity, String title, String problem, String fix,
                        String expectedImprovement, QueryMeasurement.ParamSetRuns set, PlanNode node,
                        List<Evidence> evidence, IndexSuggestion index) {

    public Violation {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }
}
