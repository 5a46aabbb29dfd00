package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.findings.FindingBuilder;
import dev.deltawatch.worker.findings.Fingerprint;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The defects the battery's fixed cases reported in this run. The systematic and random cases are a second net for
 * what the fixed cases miss. Where the fixed cases already found the function breaking the contract, a DBRE is paged
 * for it once: the second net's findings are then MEDIUM, link the fixed cases' findings (those of the same defect,
 * else all of them) and add the shapes they saw; once the function is fixed, anything they still find pages again.
 */
final class FixedCaseDefects {
    private final String target;
    private final Set<Subject> reported;

    FixedCaseDefects(String target, Collection<Subject> reported) {
        this.target = target;
        this.reported = new LinkedHashSet<>(reported);
    }

    /** True when the fixed cases reported the function as breaking the contract in this run. */
    boolean reportedAny() {
        return !reported.isEmpty();
    }

    /** {@code severity}, or MEDIUM where the fixed cases already reported the function. */
    Severity severity(Severity severity) {
        return reportedAny() ? Severity.MEDIUM : severity;
    }

    /**
     * Links the fixed cases' findings when they reported the function: those of the same defects as
     * {@code defects}, else every one; the builder as is otherwise.
     */
    FindingBuilder link(FindingBuilder finding, Collection<Subject> defects) {
        if (!reportedAny()) {
            return finding;
        }
        List<Subject> same = reported.stream().filter(defects::contains).toList();
        Set<String> fingerprints = new LinkedHashSet<>();
        for (Subject d : same.isEmpty() ? reported : same) {
            fingerprints.add(Fingerprint.of("merge", MergeBatteryCheck.RULE_MISMATCH, target, d));
        }
        return finding.evidence(MergeVerdicts.FOLLOWS_FROM, "text", String.join("\n", fingerprints));
    }

    /** The sentence a linked finding's problem ends with; empty when nothing is linked. */
    String sameFunction() {
        return reportedAny() ? " The fixed battery cases (" + MergeBatteryCheck.RULE_MISMATCH + ") already report this "
                + "function breaking the contract: fix it there; these cases add the shapes above and resolve with it."
                : "";
    }

    static FixedCaseDefects of(CheckContext context, Collection<Subject> reported) {
        return new FixedCaseDefects(context.targetName(), reported);
    }
}
