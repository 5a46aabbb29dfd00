package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import java.util.List;
import java.util.stream.Collectors;

/** Builds the findings of the merge family: a wrong merged value, with paths, values, reproduction and a hint. */
final class MergeFindings {
    static final int MAX_PATHS = 5;
    static final int MAX_LITERAL = 4_000;
    static final String PATHS_LABEL = "first differing JSON paths";

    private MergeFindings() {}

    /**
     * A finding for a merged value that differs from the oracle's.
     *
     * @param what e.g. "record public.pfa_records/42" or "battery case null-mirror"
     */
    static Finding mismatch(Check check, CheckContext context, String rule, Severity severity, Subject subject,
                            String what, JsonNode mirror, JsonNode delta, JsonNode expected, JsonNode actual,
                            String reproductionSql) {
        MergeContract contract = context.target().config().merge().contract();
        List<JsonDiff.Difference> diffs = JsonDiff.diff(expected, actual, MAX_PATHS);
        JsonDiff.Difference first = diffs.isEmpty() ? new JsonDiff.Difference("$", expected, actual) : diffs.get(0);
        String hint = MergeFixHints.hint(contract, mirror, delta, first);
        String paths = diffs.stream().map(JsonDiff.Difference::describe).collect(Collectors.joining("\n"));
        return context.finding(check, rule, severity, subject)
                .title("Merge function disagrees with the declared contract: " + MergeDefect.signature(diffs))
                .problem(MergeBatteryCheck.merge(context) + " returns a different document than the contract ("
                        + MergeFixHints.describe(contract) + ") requires for " + what + ": " + hint)
                .evidence(PATHS_LABEL, "text", paths)
                .evidence("mirror", "json", JsonDiff.render(mirror))
                .evidence("delta", "json", JsonDiff.render(delta))
                .evidence("expected (oracle)", "json", JsonDiff.render(expected))
                .evidence("actual (database)", "json", JsonDiff.render(actual))
                .reproductionSql(reproductionSql)
                .fix("Fix " + MergeBatteryCheck.merge(context) + ": " + hint + ". Then re-run the merge battery; "
                        + "rows of STORED generated columns need an UPDATE that sets the delta column "
                        + "(SET delta = delta) to be recomputed.")
                .build();
    }

    /**
     * The defect a wrong merged value shows ({@link MergeDefect#subject}), computed from the same differences the
     * finding's evidence lists: the group its finding joins.
     *
     * @param owner what the documents or cases belong to: the documents' table, or the merge function
     */
    static Subject defect(String owner, JsonNode expected, JsonNode actual) {
        return MergeDefect.subject(owner, JsonDiff.diff(expected, actual, MAX_PATHS));
    }

    /** A jsonb literal for reproduction SQL, or NULL. */
    static String jsonbLiteral(JsonNode node) {
        if (node == null) {
            return "NULL::jsonb";
        }
        String text = node.toString();
        if (text.length() > MAX_LITERAL) {
            // A 1 MB literal helps nobody in a chat message; say what it was instead.
            return "/* a " + text.length() + "-character document, see the evidence */ NULL::jsonb";
        }
        return MergeRecordReader.literal(text) + "::jsonb";
    }
}
