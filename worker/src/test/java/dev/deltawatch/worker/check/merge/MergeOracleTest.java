package dev.deltawatch.worker.check.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.contracts.MergeContract.Arrays;
import dev.deltawatch.contracts.MergeContract.DeltaNull;
import dev.deltawatch.contracts.MergeContract.Objects;
import dev.deltawatch.contracts.MergeContract.SqlNull;
import dev.deltawatch.contracts.MergeContract.TypeCoercion;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class MergeOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return text == null ? null : JSON.readTree(text);
    }

    private static JsonNode merge(MergeContract contract, String mirror, String delta) throws Exception {
        return new MergeOracle(contract).merge(json(mirror), json(delta));
    }

    private static MergeContract contract(Objects o, DeltaNull n, Arrays a, SqlNull s) {
        return new MergeContract(o, n, a, s, TypeCoercion.NONE);
    }

    @Test
    void rfc7386ContractAgreesWithEveryAppendixACase() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/rfc7386-appendix-a.json")) {
            cases = JSON.readTree(in).get("cases");
        }
        assertThat(cases).hasSize(15);
        MergeOracle oracle = new MergeOracle(MergeContract.rfc7386());
        for (JsonNode c : cases) {
            JsonNode merged = oracle.merge(c.get("original"), c.get("patch"));
            assertThat(JsonDiff.equal(merged, c.get("result")))
                    .as("original %s patch %s: got %s", c.get("original"), c.get("patch"), merged)
                    .isTrue();
        }
    }

    @Test
    void referenceContractOverridesWithNullAndKeepsAbsentKeys() throws Exception {
        assertThat(merge(MergeContract.reference(), "{\"name\":\"Original\",\"age\":30}", "{\"name\":null}"))
                .isEqualTo(json("{\"name\":null,\"age\":30}"));
        assertThat(merge(MergeContract.reference(), "{\"a\":{\"b\":{\"c\":{\"d\":1}},\"keep\":1}}",
                "{\"a\":{\"b\":{\"c\":null}}}")).isEqualTo(json("{\"a\":{\"b\":{\"c\":null},\"keep\":1}}"));
    }

    @Test
    void referenceContractKeepsNestedNullsUnderANonObjectMirrorValue() throws Exception {
        // pfa_merge copies the delta's object verbatim when the mirror has no object there.
        assertThat(merge(MergeContract.reference(), "{\"a\":\"foo\"}", "{\"a\":{\"b\":null}}"))
                .isEqualTo(json("{\"a\":{\"b\":null}}"));
    }

    @Test
    void nonObjectDeltaReplacesAndNonObjectMirrorCountsAsEmpty() throws Exception {
        assertThat(merge(MergeContract.reference(), "{\"a\":1}", "[1,2]")).isEqualTo(json("[1,2]"));
        assertThat(merge(MergeContract.reference(), "{\"a\":1}", "null")).isEqualTo(json("null"));
        assertThat(merge(MergeContract.reference(), "[1]", "{\"a\":1}")).isEqualTo(json("{\"a\":1}"));
    }

    @Test
    void sqlNullCountsAsEmptyOrPropagates() throws Exception {
        MergeContract propagate = contract(Objects.DEEP, DeltaNull.OVERRIDE, Arrays.REPLACE, SqlNull.PROPAGATE);
        assertThat(merge(MergeContract.reference(), null, "{\"a\":1}")).isEqualTo(json("{\"a\":1}"));
        assertThat(merge(MergeContract.reference(), "{\"a\":1}", null)).isEqualTo(json("{\"a\":1}"));
        assertThat(merge(MergeContract.reference(), null, null)).isEqualTo(json("{}"));
        assertThat(merge(propagate, null, "{\"a\":1}")).isNull();
        assertThat(merge(propagate, "{\"a\":1}", null)).isNull();
    }

    @Test
    void shallowObjectsReplaceNestedObjects() throws Exception {
        MergeContract shallow = contract(Objects.SHALLOW, DeltaNull.OVERRIDE, Arrays.REPLACE, SqlNull.EMPTY);
        assertThat(merge(shallow, "{\"a\":{\"x\":1,\"y\":2},\"b\":1}", "{\"a\":{\"x\":3,\"z\":null}}"))
                .isEqualTo(json("{\"a\":{\"x\":3,\"z\":null},\"b\":1}"));
        MergeContract shallowDelete = contract(Objects.SHALLOW, DeltaNull.DELETE, Arrays.REPLACE, SqlNull.EMPTY);
        assertThat(merge(shallowDelete, "{\"a\":{\"x\":1},\"b\":1}", "{\"a\":{\"z\":null,\"w\":2},\"b\":null}"))
                .isEqualTo(json("{\"a\":{\"w\":2}}"));
    }

    @Test
    void arraysReplaceAppendOrUnion() throws Exception {
        String mirror = "{\"tags\":[\"a\",\"b\"],\"n\":{\"l\":[1]}}";
        String delta = "{\"tags\":[\"b\",\"c\"],\"n\":{\"l\":[1,2]}}";
        assertThat(merge(MergeContract.reference(), mirror, delta))
                .isEqualTo(json("{\"tags\":[\"b\",\"c\"],\"n\":{\"l\":[1,2]}}"));
        assertThat(merge(contract(Objects.DEEP, DeltaNull.OVERRIDE, Arrays.APPEND, SqlNull.EMPTY), mirror, delta))
                .isEqualTo(json("{\"tags\":[\"a\",\"b\",\"b\",\"c\"],\"n\":{\"l\":[1,1,2]}}"));
        assertThat(merge(contract(Objects.DEEP, DeltaNull.OVERRIDE, Arrays.UNION, SqlNull.EMPTY), mirror, delta))
                .isEqualTo(json("{\"tags\":[\"a\",\"b\",\"c\"],\"n\":{\"l\":[1,2]}}"));
        assertThat(merge(contract(Objects.DEEP, DeltaNull.OVERRIDE, Arrays.APPEND, SqlNull.EMPTY),
                "{\"tags\":\"x\"}", "{\"tags\":[1]}")).isEqualTo(json("{\"tags\":[1]}"));
    }

    @Test
    void stringZeroIsNeverCoerced() throws Exception {
        JsonNode merged = merge(MergeContract.reference(), "{\"qty\":0}", "{\"qty\":\"0\"}");
        assertThat(merged.get("qty").isTextual()).isTrue();
        assertThat(JsonDiff.equal(merged, json("{\"qty\":0}"))).isFalse();
    }

    @Test
    void inputsAreNotModified() throws Exception {
        JsonNode mirror = json("{\"a\":{\"b\":1}}");
        JsonNode delta = json("{\"a\":{\"c\":2}}");
        new MergeOracle(MergeContract.reference()).merge(mirror, delta);
        assertThat(mirror).isEqualTo(json("{\"a\":{\"b\":1}}"));
    }

    @Test
    void diffNamesTheDeepestDifferingPaths() throws Exception {
        var diffs = JsonDiff.diff(json("{\"a\":{\"b\":null,\"k\":1},\"odd key\":2}"),
                json("{\"a\":{\"k\":1.0},\"odd key\":\"2\"}"), 5);
        assertThat(diffs).extracting(JsonDiff.Difference::path).containsExactly("$.a.b", "$[\"odd key\"]");
    }
}
