package dev.deltawatch.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A problem a check found, as published on {@code deltawatch.findings} (compacted, keyed by fingerprint).
 *
 * <p>The fingerprint identifies the problem, not one observation of it: it is a hash of family, rule,
 * target and subject, never of timestamps or measured values, so a repeat maps to the same key.
 * {@code markdown} is a ready-to-post chat rendering in the DBRE report style.
 */
public record Finding(int schemaVersion, String fingerprint, String family, String rule, Severity severity,
                      FindingStatus status, String title, String target, Subject subject, List<Evidence> evidence,
                      String problem, String fix, String expectedImprovement, String reproductionSql,
                      Trigger trigger, Instant firstSeen, Instant lastSeen, long occurrences, String markdown) {

    public static final int SCHEMA_VERSION = 1;

    public Finding {
        Require.version(schemaVersion, SCHEMA_VERSION, "Finding");
        Require.text(fingerprint, "fingerprint");
        Require.text(family, "family");
        Require.text(rule, "rule");
        Require.present(severity, "severity");
        Require.present(status, "status");
        Require.text(title, "title");
        Require.text(target, "target");
        Require.present(subject, "subject");
        evidence = Require.list(evidence);
        Require.present(firstSeen, "firstSeen");
        Require.present(lastSeen, "lastSeen");
        if (occurrences < 1) {
            throw new IllegalArgumentException("field 'occurrences' must be >= 1, was " + occurrences);
        }
    }

    public Finding withLifecycle(FindingStatus newStatus, Instant newFirstSeen, Instant newLastSeen,
                                 long newOccurrences) {
        return new Finding(schemaVersion, fingerprint, family, rule, severity, newStatus, title, target, subject,
                evidence, problem, fix, expectedImprovement, reproductionSql, trigger, newFirstSeen, newLastSeen,
                newOccurrences, markdown);
    }

    public Finding withMarkdown(String newMarkdown) {
        return new Finding(schemaVersion, fingerprint, family, rule, severity, status, title, target, subject,
                evidence, problem, fix, expectedImprovement, reproductionSql, trigger, firstSeen, lastSeen,
                occurrences, newMarkdown);
    }
}
