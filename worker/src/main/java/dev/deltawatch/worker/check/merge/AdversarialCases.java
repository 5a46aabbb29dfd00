package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic adversarial merge inputs (the DBRE methodology's payload list). The expected result of each is not
 * written here: the oracle derives it from the declared contract, so the same battery serves every contract.
 */
final class AdversarialCases {
    /** One named input pair; {@code null} documents are SQL NULL. */
    record Case(String name, String about, JsonNode mirror, JsonNode delta) {
        MergeFunctionProbe.Pair pair() {
            return new MergeFunctionProbe.Pair(mirror, delta);
        }
    }

    /** The raw delta text for the {@code \u0000} case: jsonb rejects it, so it cannot be a parsed document. */
    static final String NUL_ESCAPE_DELTA = "{\"note\": \"before\\u0000after\"}";

    private AdversarialCases() {}

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(c("null-mirror", "SQL NULL mirror", null, "{\"a\":1}"));
        cases.add(c("null-delta", "SQL NULL delta", "{\"a\":1,\"b\":{\"c\":2}}", null));
        cases.add(c("null-both", "SQL NULL mirror and delta", null, null));
        cases.add(c("json-null-overrides-present-key", "JSON null vs a present key",
                "{\"name\":\"Original\",\"age\":30}", "{\"name\":null}"));
        cases.add(c("json-null-for-absent-key", "JSON null for a key the mirror lacks", "{\"a\":1}", "{\"b\":null}"));
        cases.add(c("absent-key-falls-back", "absent keys keep the mirror's value",
                "{\"name\":\"Original\",\"age\":30}", "{\"email\":\"new@example.com\"}"));
        cases.add(c("arrays", "an array in both documents: append or replace?",
                "{\"tags\":[\"a\",\"b\"]}", "{\"tags\":[\"c\"]}"));
        cases.add(c("arrays-of-objects", "arrays of objects are values, not merged element-wise",
                "{\"items\":[{\"id\":1,\"q\":2}]}", "{\"items\":[{\"id\":1}]}"));
        cases.add(new Case("string-1mb", "a 1 MB string value", parse("{\"keep\":true}"),
                JsonNodeFactory.instance.objectNode().put("notes", "x".repeat(1_000_000))));
        cases.add(c("null-at-depth-3", "nesting 5 deep with a null at depth 3",
                "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":\"deep\"}},\"keep\":1},\"other\":2}}", "{\"a\":{\"b\":{\"c\":null}}}"));
        cases.add(new Case("nesting-7-deep", "a change 7 levels down keeps every sibling", deep(7, true),
                deep(7, false)));
        cases.add(c("unicode-values", "emoji, RTL and zero-width characters as values",
                "{\"emoji\":\"old\",\"keep\":\"\u05e9\u05dc\u05d5\u05dd\"}",
                "{\"emoji\":\"\uD83D\uDE80\uD83D\uDCA5\uD83D\uDD25\",\"rtl\":\"\u0645\u0631\u062d\u0628\u0627\","
                        + "\"zero_width\":\"a\u200Bb\u200D\",\"combining\":\"e\u0301\"}"));
        cases.add(c("unicode-keys", "emoji, RTL and zero-width characters as keys",
                "{\"\uD83D\uDD11\":1,\"k\u200B\":2}", "{\"\uD83D\uDD11\":{\"x\":1},\"\u0645\u0641\u062a\u0627\u062d\":3}"));
        cases.add(c("sql-injection-values", "SQL injection strings as values", "{\"name\":\"a\"}",
                "{\"name\":\"'; DROP TABLE pfa_records;--\",\"q\":\"\\\" OR 1=1 --\",\"c\":\"$$; SELECT 1; $$\"}"));
        cases.add(c("sql-injection-keys", "SQL injection strings as keys", "{\"a\":1}",
                "{\"'; DROP TABLE pfa_records;--\":1,\"a\\\"b\":2,\"x') OR ('1'='1\":{\"y\":null}}"));
        cases.add(c("string-zero-over-number", "\"0\" over 0 stays a string", "{\"qty\":0}", "{\"qty\":\"0\"}"));
        cases.add(c("number-zero-over-string", "0 over \"0\" stays a number", "{\"qty\":\"0\"}", "{\"qty\":0}"));
        cases.add(c("large-exponents", "numbers with large exponents and long fractions", "{\"n\":1}",
                "{\"big\":1e308,\"huge\":1E+400,\"tiny\":1e-300,\"neg\":-0.0,\"frac\":0.10000000000000000000001}"));
        cases.add(c("non-object-delta", "an array delta replaces the document", "{\"a\":1}", "[1,2]"));
        cases.add(c("json-null-delta", "a JSON null delta (not SQL NULL)", "{\"a\":1}", "null"));
        cases.add(c("non-object-mirror", "a scalar mirror under an object delta", "\"text\"", "{\"a\":1}"));
        cases.add(c("empty-delta", "an empty delta keeps the mirror", "{\"a\":{\"b\":[1,2]},\"c\":null}", "{}"));
        return cases;
    }

    private static Case c(String name, String about, String mirror, String delta) {
        return new Case(name, about, mirror == null ? null : parse(mirror), delta == null ? null : parse(delta));
    }

    private static JsonNode parse(String text) {
        return MergeVerifier.parse(text);
    }

    /** {a: {a: ... {leaf}}} with a sibling at every level in the mirror, and a changed leaf in the delta. */
    private static JsonNode deep(int depth, boolean mirror) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode level = root;
        for (int i = 1; i < depth; i++) {
            if (mirror) {
                level.put("sibling" + i, i);
            }
            level = level.putObject("l" + i);
        }
        level.put("leaf", mirror ? "old" : "new");
        return root;
    }
}
