package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.findings.Fingerprint;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What makes two wrong merged values the same defect, so that one broken merge function is one finding, not one
 * per record: the shape of the difference (where, and JSON kinds expected → actual), never the record, and never
 * the key names of the data (a function that ignores a null in the delta fails at {@code $.color} in one record
 * and {@code $.size} in the next; that is one defect).
 *
 * <p>Where is coarse on purpose: the whole document ({@code $}), or a value inside it ({@code $…}, or
 * {@code $…[*]} through an array). The depth and the kind of a lost or added value depend on each record's data,
 * not on the defect: a shallow merge loses numbers at depth 2 in one record and objects at depth 3 in the next, and
 * measured on 10K records depth and kinds split it into five findings. So below the root a value is {@code absent},
 * {@code null} (the contract's null rule) or {@code value}: a lost value is {@code value → absent}, an added one
 * {@code absent → value}, a replaced one {@code value → other value} (a mirror that wins over the delta replaced
 * strings, numbers and arrays alike: one defect, measured as three findings when the kinds were kept). The
 * finding's evidence keeps the kinds of every difference ({@code "0"} → {@code 0} shows a coercion there).
 *
 * <p>Checks of other families compute the same subject to say that their finding follows from a merge defect
 * (link by {@link #fingerprint}), so this is the one place that defines it.
 */
public final class MergeDefect {
    public static final String SUBJECT_KIND = "merge-defect";
    private static final Pattern SEGMENT = Pattern.compile("\\.[A-Za-z_][A-Za-z0-9_]*|\\[\"(?:[^\"\\\\]|\\\\.)*\"]");

    private MergeDefect() {}

    /**
     * e.g. {@code $…: absent → null} or {@code $: object → SQL NULL}: the first of the document's shapes in sorted
     * order. A document showing two shapes (a shallow merge loses a nested value and keeps a null it should delete)
     * joins the group of one of them rather than a group of the combination: combinations multiply the findings of
     * one defect (measured: a shallow merge gave three groups per rule, one of them both shapes at once). The finding's
     * evidence lists every difference of the documents it shows.
     */
    public static String signature(List<JsonDiff.Difference> diffs) {
        if (diffs.isEmpty()) {
            return "$: differs";
        }
        TreeSet<String> shapes = new TreeSet<>();
        for (JsonDiff.Difference d : diffs) {
            shapes.add(shape(d.path()) + ": " + change(d));
        }
        return shapes.first();
    }

    /** The subject of the finding for one defect on one table (documents of one layout table). */
    public static Subject subject(String table, List<JsonDiff.Difference> diffs) {
        return new Subject(SUBJECT_KIND, table + " " + signature(diffs));
    }

    /** The fingerprint a merge finding for this defect has, for other families to link to. */
    public static String fingerprint(String target, String rule, String table, List<JsonDiff.Difference> diffs) {
        return Fingerprint.of("merge", rule, target, subject(table, diffs));
    }

    /** {@code $} for the whole document; below it {@code $…}, or {@code $…[*]} when the path steps through an array. */
    static String shape(String path) {
        if ("$".equals(path)) {
            return "$";
        }
        return SEGMENT.matcher(path).replaceAll(".*").contains("[") ? "$…[*]" : "$…";
    }

    /** Expected → actual kinds; below the root only absent, null or value ({@code value → other value}). */
    private static String change(JsonDiff.Difference d) {
        if ("$".equals(d.path())) {
            return kind(d.path(), d.expected()) + " → " + kind(d.path(), d.actual());
        }
        String expected = coarse(d.expected());
        String actual = coarse(d.actual());
        return expected + " → " + (expected.equals("value") && actual.equals("value") ? "other value" : actual);
    }

    private static String coarse(JsonNode node) {
        return node == null ? "absent" : node.isNull() ? "null" : "value";
    }

    private static String kind(String path, JsonNode node) {
        if (node == null) {
            return "$".equals(path) ? "SQL NULL" : "absent";
        }
        return switch (node.getNodeType()) {
            case NULL -> "null";
            case OBJECT -> "object";
            case ARRAY -> "array";
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
