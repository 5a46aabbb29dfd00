package dev.deltawatch.worker.findings;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Subject;
import java.util.Objects;

/**
 * What one check run said about one rule on one subject, keyed by the fingerprint the finding has (or would have).
 * A pass carries no finding; it still has a fingerprint so it can resolve an open finding of the same rule and
 * subject.
 *
 * @param fingerprint {@link Fingerprint#of} family, rule, target and subject
 * @param failure     the finding as the check built it, or {@code null} for a pass
 */
public record Observation(String fingerprint, String family, String rule, Subject subject, Finding failure) {

    public Observation {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
        if (failure != null && !failure.fingerprint().equals(fingerprint)) {
            throw new IllegalArgumentException("observation fingerprint " + fingerprint
                    + " differs from its finding's " + failure.fingerprint());
        }
    }

    public static Observation pass(String family, String rule, String target, Subject subject) {
        return new Observation(Fingerprint.of(family, rule, target, subject), family, rule, subject, null);
    }

    public static Observation fail(Finding finding) {
        return new Observation(finding.fingerprint(), finding.family(), finding.rule(), finding.subject(), finding);
    }

    public boolean failed() {
        return failure != null;
    }
}
