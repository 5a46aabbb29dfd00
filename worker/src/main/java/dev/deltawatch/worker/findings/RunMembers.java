package dev.deltawatch.worker.findings;

import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.findings.DefectGroups.Member;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A run's results as grouping reads them ({@link DefectGroups}). Grouping needs the failures one by one but the
 * passes mostly counted: a pass over a million records holds a million passes, and a view that keeps them compact
 * (the check step's {@code CompactResults}) answers the counts without making a {@link Member} of each.
 */
public interface RunMembers {
    /** The failed members, in the order the run produced them. */
    List<Member> failures();

    /** Per rule, the members evaluated (passes and failures; skips count neither way). */
    Map<String, Long> checked();

    /** The evaluated members of {@code rule} carrying {@code defect} (passes and failures). */
    long carrying(String rule, Subject defect);

    /** Whether a pass of {@code rule} carries {@code defect} (passes of such a rule name the group they would join). */
    boolean passCarries(String rule, Subject defect);

    /** Hands {@code action} each pass of the given rules. */
    void forEachPass(Set<String> rules, Consumer<Member> action);

    /** The members of a plain list. */
    static RunMembers of(List<Member> members) {
        return new RunMembers() {
            @Override
            public List<Member> failures() {
                return members.stream().filter(m -> m.failure() != null).toList();
            }

            @Override
            public Map<String, Long> checked() {
                Map<String, Long> out = new HashMap<>();
                members.stream().filter(m -> !m.skipped()).forEach(m -> out.merge(m.rule(), 1L, Long::sum));
                return out;
            }

            @Override
            public long carrying(String rule, Subject defect) {
                return members.stream().filter(m -> !m.skipped() && m.rule().equals(rule)
                        && Objects.equals(defect, m.defect())).count();
            }

            @Override
            public boolean passCarries(String rule, Subject defect) {
                return members.stream().anyMatch(m -> m.failure() == null && !m.skipped() && m.rule().equals(rule)
                        && Objects.equals(defect, m.defect()));
            }

            @Override
            public void forEachPass(Set<String> rules, Consumer<Member> action) {
                for (Member m : members) {
                    if (!m.skipped() && m.failure() == null && rules.contains(m.rule())) {
                        action.accept(m);
                    }
                }
            }
        };
    }
}
