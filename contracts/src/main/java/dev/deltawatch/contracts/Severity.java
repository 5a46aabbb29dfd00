package dev.deltawatch.contracts;

/** How urgently a finding needs a person, in the DBRE report's terms. Ordered from most to least severe. */
public enum Severity {
    BLOCKER, HIGH, MEDIUM, LOW;

    /** True for severities that fail a migration pipeline ({@code check} exits 1). */
    public boolean failsPipeline() {
        return this == BLOCKER || this == HIGH;
    }
}
