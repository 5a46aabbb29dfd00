package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.merge.MergeRecordReader.MergeRow;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * Compares what the database returned for a record with the oracle: the merged document, and each generated
 * column with the oracle's merged value at its path. Pure code, no I/O; thread-safe.
 */
public final class MergeVerifier {
    /** Numbers as BigDecimal so large exponents and long fractions survive exactly, as jsonb keeps them. */
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectReader JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(NODES)
            .reader();

    /** A record's documents parsed, and the oracle's expectation for it. */
    public record Outcome(MergeRow row, JsonNode mirror, JsonNode delta, JsonNode expected, JsonNode actual,
                          boolean agrees) {}

    /** A generated column whose stored value differs from the oracle's merged value at its path. */
    public record Drift(MergeRow row, TargetConfig.GeneratedColumn column, String expected, String actual) {}

    private final MergeOracle oracle;

    public MergeVerifier(MergeOracle oracle) {
        this.oracle = Objects.requireNonNull(oracle, "oracle");
    }

    public MergeOracle oracle() {
        return oracle;
    }

    public static JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        JsonNode plain = plainScalar(text);
        if (plain != null) {
            return plain;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The node of a literal or of a string without escapes, as the parser would make it; null for anything else.
     * Most values a compact row ships are such scalars, and a parser per value costs more than the merge oracle.
     */
    private static JsonNode plainScalar(String text) {
        switch (text) {
            case "null":
                return NODES.nullNode();
            case "true":
                return NODES.booleanNode(true);
            case "false":
                return NODES.booleanNode(false);
            default:
                break;
        }
        int last = text.length() - 1;
        if (last < 1 || text.charAt(0) != '"' || text.charAt(last) != '"') {
            return null;
        }
        for (int i = 1; i < last; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                return null; // escapes and anything else unusual: the parser's business
            }
        }
        return NODES.textNode(text.substring(1, last));
    }

    /**
     * Judges one record. For a compact row the documents in the outcome are the parts at the row's keys only;
     * a disagreement there (or outside them, per the database's {@code restEqual}) is worth re-reading the
     * record whole for evidence.
     */
    public Outcome verify(MergeRow row) {
        if (row.compact()) {
            return verifyCompact(row);
        }
        JsonNode mirror = parse(row.mirror());
        JsonNode delta = parse(row.delta());
        JsonNode expected = expected(row, mirror, delta);
        JsonNode actual = parse(row.merged());
        return new Outcome(row, mirror, delta, expected, actual, JsonDiff.equal(expected, actual));
    }

    /** The contract's merge; for a record with no delta row, the mirror itself (nothing to merge). */
    private JsonNode expected(MergeRow row, JsonNode mirror, JsonNode delta) {
        return row.hasDelta() ? oracle.merge(mirror, delta) : mirror == null ? null : mirror.deepCopy();
    }

    private Outcome verifyCompact(MergeRow row) {
        ObjectNode mirror = NODES.objectNode();
        ObjectNode merged = NODES.objectNode();
        String[] keys = row.keys();
        for (int i = 0; i < keys.length; i++) {
            if (row.mirrorAtKeys()[i] != null) {
                mirror.set(keys[i], parse(row.mirrorAtKeys()[i]));
            }
            if (row.mergedAtKeys()[i] != null) {
                merged.set(keys[i], parse(row.mergedAtKeys()[i]));
            }
        }
        JsonNode delta = parse(row.delta());
        JsonNode expected = expected(row, mirror, delta);
        return new Outcome(row, mirror, delta, expected, merged, row.restEqual() && JsonDiff.equal(expected, merged));
    }

    /**
     * The drifts of one document's generated columns (all of the config's, in its order): each must equal the
     * document it is computed from at its path: the oracle's merged document, the mirror or the delta.
     */
    public List<Drift> drifts(Outcome o, List<TargetConfig.GeneratedColumn> columns) {
        MergeRow row = o.row();
        List<Drift> out = new java.util.ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            TargetConfig.GeneratedColumn column = columns.get(i);
            JsonNode source = switch (column.source()) {
                case MERGED -> o.expected();
                case MIRROR -> o.mirror();
                case DELTA -> o.delta();
            };
            if (column.source() == TargetConfig.GeneratedColumn.Source.DELTA && !row.hasDelta()) {
                continue; // no delta row: the column does not exist for this document
            }
            String expected = valueAt(source, column.path());
            String actual = row.generated().get(i);
            if (!sameValue(column.sqlType(), expected, actual)) {
                out.add(new Drift(row, column, expected, actual));
            }
        }
        return out;
    }

    /** The value at {@code path} as {@code ->>} gives it: strings unquoted, JSON null or absence as SQL NULL. */
    static String valueAt(JsonNode document, List<String> path) {
        JsonNode node = document;
        for (String key : path) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(key);
        }
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

    /**
     * Equality as the column's SQL type sees it. A value that does not parse as that type counts as NULL (the
     * reference target's columns map a malformed date to NULL rather than failing the write).
     */
    static boolean sameValue(String sqlType, String expected, String actual) {
        String type = sqlType.toLowerCase();
        if (type.equals("date")) {
            return Objects.equals(date(expected), date(actual));
        }
        if (type.startsWith("numeric") || type.equals("integer") || type.equals("bigint") || type.equals("int")
                || type.startsWith("double") || type.equals("real") || type.equals("smallint")) {
            BigDecimal e = number(expected);
            BigDecimal a = number(actual);
            return e == null || a == null ? e == a : e.compareTo(a) == 0;
        }
        if (type.equals("jsonb") || type.equals("json")) {
            return JsonDiff.equal(parse(expected), parse(actual));
        }
        if (expected != null && actual != null && (expected.startsWith("{") || expected.startsWith("["))) {
            // A container rendered as text: jsonb's spacing differs from Jackson's, so compare as documents.
            return JsonDiff.equal(parse(expected), parse(actual));
        }
        return Objects.equals(expected, actual);
    }

    private static LocalDate date(String text) {
        if (text == null || !isoDateShaped(text)) {
            return null; // without the exception LocalDate.parse would throw: costly, and adversarial data is full of them
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code [+-]?YYYY-MM-DD} with four or more year digits: the only shape {@link LocalDate#parse} can accept. */
    static boolean isoDateShaped(String text) {
        int n = text.length();
        int start = n > 0 && (text.charAt(0) == '+' || text.charAt(0) == '-') ? 1 : 0;
        if (n - start < 10 || text.charAt(n - 3) != '-' || text.charAt(n - 6) != '-') {
            return false;
        }
        for (int i = start; i < n; i++) {
            if (i != n - 3 && i != n - 6 && (text.charAt(i) < '0' || text.charAt(i) > '9')) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
