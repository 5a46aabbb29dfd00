package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deltawatch.contracts.Finding;
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
 * The deliberate half of the battery: every pair of JSON kinds in mirror × delta ({@link #KINDS}: each JSON type,
 * the empty string, object and array, strings that spell other kinds, and a key absent on one side), placed at a
 * key nested 1, 2 and 3 objects deep with a sibling on each side at every level, plus the same kinds as whole
 * documents (depth 0) with SQL NULL on either side. Expected results come from the oracle, so the cases serve every
 * contract. Coverage no longer depends on a random seed happening to generate the input that exposes a regression;
 * the seeded {@link GeneratedMergeCases} stay as a second net.
 *
 * <p>All cases are evaluated set-based ({@link MergeFunctionProbe}, no invariants). Failures are one finding per
 * rule (the subject is the function), carrying the count, the failing kind pairs and the first failing case in
 * full: {@value #RULE_MISMATCH} (BLOCKER: wrong merged values), {@value #RULE_ERROR} (BLOCKER: the function raises
 * on a valid input).
 */
final class SystematicMergeCases {
    static final String RULE_MISMATCH = "systematic-mismatch";
    static final String RULE_ERROR = "systematic-error";
    static final String PART = "systematic";
    static final int MAX_DEPTH = 3;
    /** The key the pair sits at; siblings at every level show what a merge loses or invents around it. */
    static final String KEY = "v";
    private static final int MAX_LISTED = 20;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A value kind: {@code value} null means the key is absent (at depth 0: the document is SQL NULL). */
    record Kind(String name, JsonNode value) {}

    /** One case: the kinds on each side, the depth, and the documents. */
    record Case(String name, int depth, Pair pair) {}

    static final List<Kind> KINDS = List.of(
            new Kind("string", NODES.textNode("text")),
            new Kind("number", NODES.numberNode(42)),
            new Kind("zero", NODES.numberNode(0)),
            new Kind("true", NODES.booleanNode(true)),
            new Kind("false", NODES.booleanNode(false)),
            new Kind("null", NODES.nullNode()),
            new Kind("object", MergeVerifier.parse("{\"x\":1,\"o\":{\"y\":\"m\"}}")),
            new Kind("other-object", MergeVerifier.parse("{\"x\":2,\"z\":null,\"o\":{\"w\":[1]}}")),
            new Kind("array", MergeVerifier.parse("[1,\"a\",{\"k\":1}]")),
            new Kind("empty-string", NODES.textNode("")),
            new Kind("empty-object", NODES.objectNode()),
            new Kind("empty-array", NODES.arrayNode()),
            new Kind("string-0", NODES.textNode("0")),
            new Kind("string-true", NODES.textNode("true")),
            new Kind("string-null", NODES.textNode("null")),
            new Kind("string-{}", NODES.textNode("{}")),
            new Kind("string-[]", NODES.textNode("[]")),
            new Kind("absent", null));

    private final Check check;
    private final CheckContext context;
    private final MergeFunctionProbe probe;
    private final MergeOracle oracle;
    private final FixedCaseDefects reported;

    SystematicMergeCases(Check check, CheckContext context, MergeFunctionProbe probe, MergeOracle oracle,
                         FixedCaseDefects reported) {
        this.check = check;
        this.reported = reported;
        this.context = context;
        this.probe = probe;
        this.oracle = oracle;
    }

    /** Every case: depth 0 (whole documents, SQL NULL for "absent") then depths 1 to {@link #MAX_DEPTH}. */
    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        for (int depth = 0; depth <= MAX_DEPTH; depth++) {
            for (Kind m : KINDS) {
                for (Kind d : KINDS) {
                    String name = "mirror " + m.name() + " × delta " + d.name() + " at depth " + depth;
                    cases.add(new Case(name, depth, new Pair(place(m, depth, "m"), place(d, depth, "d"))));
                }
            }
        }
        return cases;
    }

    /** {@code {"a": {"b": {"v": value, "keep_m": 3}, "keep_m": 2}, "keep_m": 1}} for depth 3 on the mirror side. */
    private static JsonNode place(Kind kind, int depth, String side) {
        if (depth == 0) {
            return kind.value() == null ? null : kind.value().deepCopy();
        }
        ObjectNode root = NODES.objectNode();
        ObjectNode level = root;
        for (int i = 1; i <= depth; i++) {
            level.put("keep_" + side, i);
            if (i < depth) {
                level = level.putObject(String.valueOf((char) ('a' + i - 1)));
            }
        }
        if (kind.value() != null) {
            level.set(KEY, kind.value().deepCopy());
        }
        return root;
    }

    List<CheckResult> run(Connection c) throws SQLException {
        // Cases the schema forbids (a NULL or non-object where the columns cannot hold one) cannot occur.
        List<Case> cases = all().stream().filter(k -> InputDomainFilter.outside(context.target().inputDomain(),
                k.pair().mirror(), k.pair().delta()) == null).toList();
        List<Result> got = probe.evaluate(c, cases.stream().map(Case::pair).toList(), false);
        Map<String, List<Integer>> failing = new LinkedHashMap<>();
        failing.put(RULE_MISMATCH, new ArrayList<>());
        failing.put(RULE_ERROR, new ArrayList<>());
        for (int i = 0; i < cases.size(); i++) {
            Result r = got.get(i);
            if (r.error() != null) {
                failing.get(RULE_ERROR).add(i);
            } else if (!JsonDiff.equal(expected(cases.get(i)), MergeVerifier.parse(r.merged()))) {
                failing.get(RULE_MISMATCH).add(i);
            }
        }
        Subject subject = MergeBatteryCheck.functionSubject(context, PART);
        List<CheckResult> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : failing.entrySet()) {
            out.add(e.getValue().isEmpty() ? CheckResult.pass(e.getKey(), subject)
                    : CheckResult.fail(finding(e.getKey(), subject, cases, got, e.getValue())));
        }
        return out;
    }

    private JsonNode expected(Case k) {
        return oracle.merge(k.pair().mirror(), k.pair().delta());
    }

    private Finding finding(String rule, Subject subject, List<Case> cases, List<Result> got, List<Integer> failing) {
        Case first = cases.get(failing.get(0));
        Result r = got.get(failing.get(0));
        List<String> listed = failing.stream().limit(MAX_LISTED).map(i -> cases.get(i).name()).toList();
        String list = String.join("\n", listed) + (failing.size() > MAX_LISTED
                ? "\n… and " + (failing.size() - MAX_LISTED) + " more" : "");
        String count = failing.size() + " of " + cases.size() + " systematic merge cases";
        if (RULE_ERROR.equals(rule)) {
            Set<Subject> defects = new LinkedHashSet<>();
            for (int i : failing) {
                defects.add(MergeBatteryCheck.errorDefect(context, got.get(i).error()));
            }
            return reported.link(context.finding(check, rule, reported.severity(Severity.BLOCKER), subject)
                    .title("Merge function raises an error on " + count)
                    .problem(MergeBatteryCheck.merge(context) + " fails on valid jsonb input, first on " + first.name()
                            + ": " + r.error() + ". Every read of such a record fails."
                            + reported.sameFunction()), defects)
                    .evidence("failing cases", "text", list)
                    .evidence("mirror", "json", JsonDiff.render(first.pair().mirror()))
                    .evidence("delta", "json", JsonDiff.render(first.pair().delta()))
                    .evidence("error", "text", r.error())
                    .reproductionSql(MergeBatteryCheck.reproduction(context, first.pair().mirror(), first.pair().delta()))
                    .fix("Make " + MergeBatteryCheck.merge(context) + " total over jsonb inputs: handle this shape "
                            + "explicitly instead of raising.")
                    .build();
        }
        JsonNode expected = expected(first);
        JsonNode actual = MergeVerifier.parse(r.merged());
        List<JsonDiff.Difference> diffs = JsonDiff.diff(expected, actual, MergeFindings.MAX_PATHS);
        JsonDiff.Difference at = diffs.isEmpty() ? new JsonDiff.Difference("$", expected, actual) : diffs.get(0);
        String hint = MergeFixHints.hint(oracle.contract(), first.pair().mirror(), first.pair().delta(), at);
        Set<Subject> defects = new LinkedHashSet<>();
        for (int i : failing) {
            defects.add(MergeFindings.defect(MergeBatteryCheck.functionName(context), expected(cases.get(i)),
                    MergeVerifier.parse(got.get(i).merged())));
        }
        return reported.link(context.finding(check, rule, reported.severity(Severity.BLOCKER), subject)
                .title("Merge function disagrees with the declared contract on " + count)
                .problem(MergeBatteryCheck.merge(context) + " returns a different document than the contract ("
                        + MergeFixHints.describe(oracle.contract()) + ") requires on " + count + "; first on "
                        + first.name() + ", at " + at.path() + ": " + hint
                        + (reported.reportedAny() ? "." : "") + reported.sameFunction()), defects)
                .evidence(MergeFindings.PATHS_LABEL, "text", String.join("\n",
                        diffs.stream().map(JsonDiff.Difference::describe).toList()))
                .evidence("failing cases", "text", list)
                .evidence("mirror", "json", JsonDiff.render(first.pair().mirror()))
                .evidence("delta", "json", JsonDiff.render(first.pair().delta()))
                .evidence("expected (oracle)", "json", JsonDiff.render(expected))
                .evidence("actual (database)", "json", JsonDiff.render(actual))
                .reproductionSql(MergeBatteryCheck.reproduction(context, first.pair().mirror(), first.pair().delta()))
                .fix("Fix " + MergeBatteryCheck.merge(context) + ": " + hint + ". Then re-run the merge battery.")
                .build();
    }
}
