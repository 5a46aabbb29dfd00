package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.merge.MergeFunctionProbe.Pair;
import dev.deltawatch.worker.check.merge.MergeFunctionProbe.Result;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generated half of the battery: seeded pairs evaluated set-based with their invariants, the first failure
 * of each rule shrunk to a small counterexample. One result per rule (the subject is the function), so a
 * thousand failing pairs make one finding, not a thousand.
 *
 * <p>Severities: {@code generated-mismatch} BLOCKER (wrong merged values); {@code invariant-empty-delta} and
 * {@code invariant-mirror-key-kept} HIGH (a record without edits, or a kept key, changes: data visibly lost);
 * {@code invariant-idempotent} MEDIUM (re-applying the same delta drifts: double-submits corrupt, but a single
 * read is right).
 */
final class GeneratedMergeCases {
    static final String RULE_MISMATCH = "generated-mismatch";

    private final Check check;
    private final CheckContext context;
    private final MergeFunctionProbe probe;
    private final MergeOracle oracle;
    private final MergeContract contract;
    private final FixedCaseDefects reported;

    GeneratedMergeCases(Check check, CheckContext context, MergeFunctionProbe probe, MergeOracle oracle,
                        FixedCaseDefects reported) {
        this.check = check;
        this.reported = reported;
        this.context = context;
        this.probe = probe;
        this.oracle = oracle;
        this.contract = oracle.contract();
    }

    List<CheckResult> run(Connection c, int count, long seed) throws SQLException {
        DocumentGenerator generator = new DocumentGenerator(seed);
        List<Pair> pairs = new ArrayList<>(count);
        // Pairs the schema forbids (a non-object delta where a CHECK pins it to objects) cannot occur: draw again.
        for (int drawn = 0; pairs.size() < count && drawn < count * 4; drawn++) {
            Pair p = generator.next();
            if (InputDomainFilter.outside(context.target().inputDomain(), p.mirror(), p.delta()) == null) {
                pairs.add(p);
            }
        }
        List<Result> results = probe.evaluate(c, pairs, true);
        Map<String, Integer> firstFailure = new LinkedHashMap<>();
        Map<String, Integer> failures = new LinkedHashMap<>();
        Map<String, Set<Subject>> defects = new LinkedHashMap<>();
        for (String rule : rules()) {
            failures.put(rule, 0);
            defects.put(rule, new LinkedHashSet<>());
        }
        for (int i = 0; i < pairs.size(); i++) {
            for (String rule : rules()) {
                if (violation(rule, pairs.get(i), results.get(i)) != null) {
                    firstFailure.putIfAbsent(rule, i);
                    failures.merge(rule, 1, Integer::sum);
                    defects.get(rule).add(defect(pairs.get(i), results.get(i)));
                }
            }
        }
        List<CheckResult> out = new ArrayList<>();
        for (String rule : rules()) {
            Subject subject = MergeBatteryCheck.functionSubject(context, "generated");
            Integer index = firstFailure.get(rule);
            if (index == null) {
                out.add(CheckResult.pass(rule, subject));
            } else {
                out.add(CheckResult.fail(finding(c, rule, subject, pairs.get(index), failures.get(rule), pairs.size(), seed,
                        defects.get(rule))));
            }
        }
        return out;
    }

    private List<String> rules() {
        List<String> rules = new ArrayList<>(List.of(RULE_MISMATCH, MergeInvariants.EMPTY_DELTA,
                MergeInvariants.MIRROR_KEY_KEPT));
        if (MergeInvariants.idempotenceApplies(contract)) {
            rules.add(MergeInvariants.IDEMPOTENT);
        }
        return rules;
    }

    /** Why {@code pair} breaks {@code rule} given the database's results, or null when it holds. */
    private String violation(String rule, Pair pair, Result r) {
        if (r.error() != null) {
            return "the function raised " + r.error();
        }
        JsonNode merged = MergeVerifier.parse(r.merged());
        return switch (rule) {
            case RULE_MISMATCH -> {
                JsonNode expected = oracle.merge(pair.mirror(), pair.delta());
                var d = JsonDiff.diff(expected, merged, 1);
                yield d.isEmpty() ? null : d.get(0).describe();
            }
            case MergeInvariants.EMPTY_DELTA -> MergeInvariants.emptyDelta(pair.mirror(),
                    MergeVerifier.parse(r.emptyDelta()));
            case MergeInvariants.IDEMPOTENT -> MergeInvariants.idempotent(merged, MergeVerifier.parse(r.reapplied()));
            default -> MergeInvariants.mirrorKeyKept(contract, pair.mirror(), pair.delta(), merged);
        };
    }

    /**
     * The merge defect a failing pair shows, whichever rule it fails, to link the fixed cases' finding of the same
     * defect: an invariant broken on a pair the oracle agrees with shows none of theirs ({@code invariant only}).
     */
    private Subject defect(Pair pair, Result r) {
        if (r.error() != null) {
            return MergeBatteryCheck.errorDefect(context, r.error());
        }
        JsonNode expected = oracle.merge(pair.mirror(), pair.delta());
        JsonNode merged = MergeVerifier.parse(r.merged());
        return JsonDiff.equal(expected, merged) ? new Subject("invariant", "invariant only")
                : MergeFindings.defect(MergeBatteryCheck.functionName(context), expected, merged);
    }

    private Finding finding(Connection c, String rule, Subject subject, Pair first, int failing, int count, long seed,
                            Set<Subject> defects) throws SQLException {
        Pair small = Shrinker.shrink(first, candidates -> {
            List<Result> got = probe.evaluate(c, candidates, true);
            for (int i = 0; i < candidates.size(); i++) {
                if (violation(rule, candidates.get(i), got.get(i)) != null) {
                    return i;
                }
            }
            return -1;
        });
        Result r = probe.evaluate(c, List.of(small), true).get(0);
        String why = violation(rule, small, r);
        JsonNode expected = oracle.merge(small.mirror(), small.delta());
        JsonNode actual = MergeVerifier.parse(r.merged());
        String hint = RULE_MISMATCH.equals(rule) && r.error() == null
                ? MergeFixHints.hint(contract, small.mirror(), small.delta(),
                JsonDiff.diff(expected, actual, 1).get(0))
                : "make " + MergeBatteryCheck.merge(context) + " satisfy " + rule + " for the counterexample";
        Severity severity = switch (rule) {
            case RULE_MISMATCH -> Severity.BLOCKER;
            case MergeInvariants.IDEMPOTENT -> Severity.MEDIUM;
            default -> Severity.HIGH;
        };
        String paths = RULE_MISMATCH.equals(rule) && r.error() == null
                ? String.join("\n", JsonDiff.diff(expected, actual, MergeFindings.MAX_PATHS).stream()
                .map(JsonDiff.Difference::describe).toList())
                : why;
        return reported.link(context.finding(check, rule, reported.severity(severity), subject)
                .title(rule + ": " + failing + " of " + count + " generated merge cases fail (seed " + seed + ")")
                .problem(MergeBatteryCheck.merge(context) + " breaks " + rule + " on " + failing + " of " + count
                        + " generated pairs; smallest counterexample: " + why + ". " + hint
                        + (reported.reportedAny() ? "." : "") + reported.sameFunction()), defects)
                .evidence(MergeFindings.PATHS_LABEL, "text", paths)
                .evidence("counterexample mirror (shrunk)", "json", JsonDiff.render(small.mirror()))
                .evidence("counterexample delta (shrunk)", "json", JsonDiff.render(small.delta()))
                .evidence("expected (oracle)", "json", JsonDiff.render(expected))
                .evidence("actual (database)", "json", JsonDiff.render(actual))
                .evidence("first failing pair before shrinking", "json",
                        JsonDiff.render(first.mirror()) + "\n" + JsonDiff.render(first.delta()))
                .reproductionSql(MergeBatteryCheck.reproduction(context, small.mirror(), small.delta()))
                .fix(hint)
                .build();
    }
}
