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
 */
public record CheckResult(String rule, Subject subject, Finding finding) {

    public CheckResult {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
    }

    public static CheckResult pass(String rule, Subject subject) {
        return new CheckResult(rule, subject, null);
    }

    public static CheckResult fail(Finding finding) {
        return new CheckResult(finding.rule(), finding.subject(), finding);
    }

    public boolean failed() {
        return finding != null;
    }
}
