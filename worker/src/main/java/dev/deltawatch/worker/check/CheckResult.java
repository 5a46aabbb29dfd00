package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Subject;
import java.util.Objects;

/**
 * The answer of a check for one rule on one subject: a pass, or a failure with its finding.
 *
 * @param rule    the rule evaluated, e.g. {@code merged-value-mismatch}
 * @param subject what was examined
 * @param finding the finding for a failure; {@code null} for a pass
 * @param skipped why the rule was not evaluated on the subject (e.g. the schema forbids that input); null otherwise
 */
public record CheckResult(String rule, Subject subject, Finding finding, String skipped) {

    public CheckResult {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
    }

    public static CheckResult pass(String rule, Subject subject) {
        return new CheckResult(rule, subject, null, null);
    }

    public static CheckResult fail(Finding finding) {
        return new CheckResult(finding.rule(), finding.subject(), finding, null);
    }

    /** Not evaluated, for the reason given; neither a pass nor a finding. */
    public static CheckResult skipped(String rule, Subject subject, String reason) {
        return new CheckResult(rule, subject, null, Objects.requireNonNull(reason, "reason"));
    }

    public boolean failed() {
        return finding != null;
    }
}
