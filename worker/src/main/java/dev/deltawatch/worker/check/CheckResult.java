package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.findings.DefectGroups;
import java.util.Objects;

/**
 * The answer of a check for one rule on one subject: a pass, or a failure with its finding.
 *
 * <p>A result may name the <em>defect</em> it belongs to: records that fail the same rule for the same reason are
 * one defect, and the feed and reports show one finding per defect ({@link DefectGroups}), never one per record.
 * The per-record result stays on the run for detail. A pass carries the defect only where the check knows it
 * before judging (a generated column), so the group's share counts the right denominator.
 *
 * @param rule    the rule evaluated, e.g. {@code merged-value-mismatch}
 * @param subject what was examined
 * @param finding the finding for a failure; {@code null} for a pass
 * @param skipped why the rule was not evaluated on the subject (e.g. the schema forbids that input); null otherwise
 * @param defect  the defect this result belongs to (the subject of its group's finding); null when it stands alone
 */
public record CheckResult(String rule, Subject subject, Finding finding, String skipped, Subject defect) {

    public CheckResult {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
    }

    public static CheckResult pass(String rule, Subject subject) {
        return new CheckResult(rule, subject, null, null, null);
    }

    /** A pass of a subject whose group is known before judging (e.g. one generated column of a record). */
    public static CheckResult pass(String rule, Subject subject, Subject defect) {
        return new CheckResult(rule, subject, null, null, defect);
    }

    public static CheckResult fail(Finding finding) {
        return new CheckResult(finding.rule(), finding.subject(), finding, null, null);
    }

    /** A failure that is one member of {@code defect}: grouped with the others of the same rule and defect. */
    public static CheckResult fail(Finding finding, Subject defect) {
        return new CheckResult(finding.rule(), finding.subject(), finding, null, Objects.requireNonNull(defect,
                "defect"));
    }

    /** Not evaluated, for the reason given; neither a pass nor a finding. */
    public static CheckResult skipped(String rule, Subject subject, String reason) {
        return new CheckResult(rule, subject, null, Objects.requireNonNull(reason, "reason"), null);
    }

    public boolean failed() {
        return finding != null;
    }

    /** This result as the grouping step sees it. */
    public DefectGroups.Member member() {
        return new DefectGroups.Member(rule, subject, finding, skipped != null, defect);
    }
}
