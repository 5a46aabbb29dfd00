package dev.deltawatch.worker.findings;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One defect, one finding: turns a run's per-record results into one finding per (rule, defect), carrying the
 * count, the share of what the run checked, and the first {@link #EXAMPLES} members with their evidence and
 * reproduction SQL. Results that name no defect stay findings of their own. Pure code.
 *
 * <p><b>Lifecycle of a group</b> ({@link #observations}). A group is open while a run sees one of its members
 * fail. A run that checked every record (scope ALL, or a check that always runs all its cases) and did not see
 * the group resolves it. A run scoped to some records resolves it only when the group's whole membership is
 * known (it had at most {@link #EXAMPLES} members, all listed in its evidence) and every member passed in that
 * run: a clean write to <em>another</em> record never resolves a group. Per-record passes still go to the
 * lifecycle, so a per-record finding from before grouping resolves when its record passes.
 */
public final class DefectGroups {
    /** Members shown as evidence; also the largest group a record-scoped run can resolve (all members known). */
    public static final int EXAMPLES = 5;
    /** The first evidence item of every group: count, share and the listed members. Marks a finding as a group. */
    public static final String AFFECTED = "affected";
    static final String EXAMPLE = "example ";

    /**
     * One result of a run as grouping sees it.
     *
     * @param failure the member's own finding; null for a pass
     * @param skipped the rule was not evaluated on the subject (counts neither way)
     * @param defect  the group it belongs to (on a pass: the group it would belong to); null when it stands alone
     */
    public record Member(String rule, Subject subject, Finding failure, boolean skipped, Subject defect) {}

    private record Key(String rule, Subject defect) {}

    private DefectGroups() {}

    /** The findings of one run, in the order of their first member: one per defect, the ungrouped as they are. */
    public static List<Finding> findings(String family, String target, List<Member> members) {
        return findings(family, target, RunMembers.of(members));
    }

    /** As {@link #findings(String, String, List)}, from a run's members as a view that may keep passes compact. */
    public static List<Finding> findings(String family, String target, RunMembers members) {
        Map<Object, List<Member>> failing = failing(members.failures());
        Map<String, Long> checked = members.checked();
        List<Finding> out = new ArrayList<>(failing.size());
        for (Map.Entry<Object, List<Member>> e : failing.entrySet()) {
            out.add(e.getKey() instanceof Key k ? group(family, target, k, e.getValue(), denominator(k, members,
                    checked)) : e.getValue().get(0).failure());
        }
        return out;
    }

    /**
     * What one run tells the lifecycle: every pass of an open finding and every ungrouped failure as it is, one
     * failure per defect, and a pass for each open group of a rule this run evaluated that the run did not see and
     * may resolve (see the class comment).
     *
     * @param fullScope the run checked every record (or case) the rule covers
     * @param known     the lifecycle's state, read only
     */
    public static List<Observation> observations(String family, String target, boolean fullScope,
                                                 List<Member> members, Map<String, Finding> known) {
        return observations(family, target, fullScope, RunMembers.of(members), known);
    }

    /** As {@link #observations(String, String, boolean, List, Map)}, from a view that may keep passes compact. */
    public static List<Observation> observations(String family, String target, boolean fullScope,
                                                 RunMembers members, Map<String, Finding> known) {
        List<Observation> out = new ArrayList<>();
        // A pass changes nothing unless it names an open finding (FindingLifecycle#step), so only the rules with
        // one are looked at: a full pass over 1M records would otherwise make 1M observations to say nothing.
        Set<String> openRules = new HashSet<>();
        Set<String> openGroupRules = new HashSet<>();
        for (Finding k : known.values()) {
            if (k.status() != FindingStatus.RESOLVED && k.family().equals(family) && k.target().equals(target)) {
                openRules.add(k.rule());
                if (isGroup(k)) {
                    openGroupRules.add(k.rule());
                }
            }
        }
        Map<String, Set<String>> passed = new HashMap<>();
        members.forEachPass(openRules, m -> {
            Observation pass = Observation.pass(family, m.rule(), target, m.subject());
            Finding k = known.get(pass.fingerprint());
            if (k != null && k.status() != FindingStatus.RESOLVED) {
                out.add(pass);
            }
            if (openGroupRules.contains(m.rule())) {
                passed.computeIfAbsent(m.rule(), r -> new HashSet<>()).add(m.subject().name());
            }
        });
        Set<String> seen = new HashSet<>();
        for (Finding f : findings(family, target, members)) {
            out.add(Observation.fail(f));
            seen.add(f.fingerprint());
        }
        Set<String> rules = members.checked().keySet();
        for (Finding k : known.values()) {
            if (k.status() == FindingStatus.RESOLVED || !isGroup(k) || !k.family().equals(family)
                    || !k.target().equals(target) || !rules.contains(k.rule()) || seen.contains(k.fingerprint())) {
                continue;
            }
            boolean allMembersPassed = listedMembers(k)
                    .map(listed -> passed.getOrDefault(k.rule(), Set.of()).containsAll(listed)).orElse(false);
            if (fullScope || allMembersPassed) {
                out.add(new Observation(k.fingerprint(), family, k.rule(), k.subject(), null));
            }
        }
        return out;
    }

    /**
     * Whether a run on this scope checked everything its rules cover: scope ALL, or named objects (the checks that
     * group run all their cases then). A RECORDS or SAMPLE run checked some records only.
     */
    public static boolean coversAll(CheckScope scope) {
        return scope.kind() == CheckScope.Kind.ALL || scope.kind() == CheckScope.Kind.OBJECTS;
    }

    /** Whether a finding stands for a group of members (its first evidence item is {@link #AFFECTED}). */
    public static boolean isGroup(Finding f) {
        return !f.evidence().isEmpty() && AFFECTED.equals(f.evidence().get(0).label());
    }

    /** The group's members when its evidence lists all of them; empty when there were more than it lists. */
    static Optional<Set<String>> listedMembers(Finding group) {
        Evidence affected = group.evidence().get(0);
        List<String> lines = affected.content().lines().toList();
        if (affected.truncated() || lines.isEmpty()) {
            return Optional.empty();
        }
        long count;
        try {
            count = Long.parseLong(lines.get(0).substring(0, Math.max(0, lines.get(0).indexOf(' '))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Set<String> listed = new HashSet<>(lines.subList(1, lines.size()));
        return listed.size() == count ? Optional.of(listed) : Optional.empty();
    }

    /** Failures by group key (a {@link Key}) or, standing alone, by their index, in order of appearance. */
    private static Map<Object, List<Member>> failing(List<Member> failures) {
        Map<Object, List<Member>> out = new LinkedHashMap<>();
        for (int i = 0; i < failures.size(); i++) {
            Member m = failures.get(i);
            Object key = m.defect() == null ? Integer.valueOf(i) : new Key(m.rule(), m.defect());
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
        }
        return out;
    }

    /**
     * What the share is of: the members that carry this defect as passes too (a generated column: the records
     * checked for it), else everything the rule checked in the run.
     */
    private static long denominator(Key k, RunMembers members, Map<String, Long> checked) {
        long same = members.carrying(k.rule(), k.defect());
        return members.passCarries(k.rule(), k.defect()) ? same : checked.getOrDefault(k.rule(), same);
    }

    private static Finding group(String family, String target, Key k, List<Member> failing, long checked) {
        Finding first = failing.get(0).failure();
        long count = failing.size();
        List<Member> shown = failing.subList(0, (int) Math.min(EXAMPLES, count));
        String share = String.format(Locale.ROOT, "%,d of %,d checked, %.1f%%", count, checked,
                100.0 * count / Math.max(1, checked));
        StringBuilder affected = new StringBuilder().append(count).append(" of ").append(checked)
                .append(" checked in this run (").append(String.format(Locale.ROOT, "%.1f%%",
                        100.0 * count / Math.max(1, checked))).append(") fail ").append(k.rule())
                .append(" with this defect; ").append(count > EXAMPLES ? "the first " + EXAMPLES : "all")
                .append(':');
        shown.forEach(m -> affected.append('\n').append(m.subject().name()));
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(Evidence.of(AFFECTED, "text", affected.toString()));
        evidence.addAll(first.evidence());
        for (int i = 1; i < shown.size(); i++) {
            Finding f = shown.get(i).failure();
            String diff = f.evidence().isEmpty() ? f.title() : f.evidence().get(0).content();
            evidence.add(Evidence.of(EXAMPLE + (i + 1) + ": " + f.subject().name(), "text",
                    diff + (f.reproductionSql() == null ? "" : "\n\nreproduce:\n" + f.reproductionSql())));
        }
        var severity = failing.stream().map(m -> m.failure().severity()).min(Enum::compareTo).orElseThrow();
        String problem = (count == 1 ? "" : count + " of " + checked + " checked have this defect; the first, "
                + first.subject().name() + ": ") + java.util.Objects.toString(first.problem(), "");
        return new Finding(first.schemaVersion(), Fingerprint.of(family, k.rule(), target, k.defect()), family,
                k.rule(), severity, first.status(), first.title() + " (" + share + ")", target, k.defect(),
                evidence, problem, first.fix(), first.expectedImprovement(), first.reproductionSql(),
                first.trigger(), first.firstSeen(), first.lastSeen(), first.occurrences(), null);
    }
}
