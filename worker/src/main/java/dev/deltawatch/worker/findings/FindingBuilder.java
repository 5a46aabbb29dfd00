package dev.deltawatch.worker.findings;

import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link Finding} as a check observed it: status {@code OPENED}, one occurrence, first and last seen at
 * the observation time. The lifecycle decides later whether it is new, a repeat, or a regression. The fingerprint
 * is derived, never set by hand.
 */
public final class FindingBuilder {
    private final String family;
    private final String rule;
    private final Severity severity;
    private final String target;
    private final Subject subject;
    private String title;
    private final List<Evidence> evidence = new ArrayList<>();
    private String problem;
    private String fix;
    private String expectedImprovement;
    private String reproductionSql;
    private Trigger trigger;
    private Instant observedAt;

    public FindingBuilder(String family, String rule, Severity severity, String target, Subject subject) {
        this.family = Objects.requireNonNull(family, "family");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.severity = Objects.requireNonNull(severity, "severity");
        this.target = Objects.requireNonNull(target, "target");
        this.subject = Objects.requireNonNull(subject, "subject");
    }

    public FindingBuilder title(String title) {
        this.title = title;
        return this;
    }

    public FindingBuilder evidence(Evidence item) {
        evidence.add(item);
        return this;
    }

    public FindingBuilder evidence(String label, String format, String content) {
        return evidence(Evidence.of(label, format, content));
    }

    /** What is wrong and why it matters. */
    public FindingBuilder problem(String problem) {
        this.problem = problem;
        return this;
    }

    /** A concrete fix: the statement to run or the change to make, not advice. */
    public FindingBuilder fix(String fix) {
        this.fix = fix;
        return this;
    }

    public FindingBuilder expectedImprovement(String expectedImprovement) {
        this.expectedImprovement = expectedImprovement;
        return this;
    }

    /** SQL that reproduces the problem on the target. */
    public FindingBuilder reproductionSql(String sql) {
        this.reproductionSql = sql;
        return this;
    }

    public FindingBuilder trigger(Trigger trigger) {
        this.trigger = trigger;
        return this;
    }

    public FindingBuilder observedAt(Instant at) {
        this.observedAt = at;
        return this;
    }

    public String fingerprint() {
        return Fingerprint.of(family, rule, target, subject);
    }

    public Finding build() {
        Instant at = observedAt == null ? Instant.now() : observedAt;
        return new Finding(Finding.SCHEMA_VERSION, fingerprint(), family, rule, severity, FindingStatus.OPENED,
                title == null ? rule + " on " + subject : title, target, subject, evidence, problem, fix,
                expectedImprovement, reproductionSql, trigger, at, at, 1, null);
    }
}
