package dev.deltawatch.worker.check.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

import org.junit.jupiter.api.Test;

class MergeVerifierTest {
    @Test
    void aDateColumnComparesDatesAndCountsWhatIsNoDateAsNull() {
        assertThat(MergeVerifier.sameValue("date", "2026-03-01", "2026-03-01")).isTrue();
        assertThat(MergeVerifier.sameValue("date", "2026-03-01", "2026-03-02")).isFalse();
        // Not a date in the document: the column holds NULL.
        assertThat(MergeVerifier.sameValue("date", "next week", null)).isTrue();
        assertThat(MergeVerifier.sameValue("date", "2026-13-01", null)).isTrue();
        assertThat(MergeVerifier.sameValue("date", "2026-3-1", null)).isTrue();
        assertThat(MergeVerifier.sameValue("date", "", null)).isTrue();
        assertThat(MergeVerifier.sameValue("date", "next week", "2026-03-01")).isFalse();
        assertThat(MergeVerifier.sameValue("date", "+12026-03-01", "+12026-03-01")).isTrue();
    }

    @Test
    void onlyTheIsoShapeIsHandedToTheDateParser() {
        assertThat(MergeVerifier.isoDateShaped("2026-03-01")).isTrue();
        assertThat(MergeVerifier.isoDateShaped("2026-13-45")).isTrue(); // the shape; the parser refuses the values
        assertThat(MergeVerifier.isoDateShaped("+12026-03-01")).isTrue();
        assertThat(MergeVerifier.isoDateShaped("-0001-03-01")).isTrue();
        assertThat(MergeVerifier.isoDateShaped("2026/03/01")).isFalse();
        assertThat(MergeVerifier.isoDateShaped("26-03-01")).isFalse();
        assertThat(MergeVerifier.isoDateShaped("2026-03-1x")).isFalse();
        assertThat(MergeVerifier.isoDateShaped("")).isFalse();
        assertThat(MergeVerifier.isoDateShaped("-")).isFalse();
    }

    @Test
    void valuesParseAsTheJsonParserParsesThemWhetherScalarOrNot() throws Exception {
        ObjectMapper jackson = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
        for (String text : List.of("null", "true", "false", "\"\"", "\"plain text\"", "\"é ü 😀\"",
                "\"with \\\"quote\\\"\"", "\"tab\\there\"", "\"\\u0000\"", "12", "-1.50", "1e400",
                "[1, \"a\"]", "{\"a\": {\"b\": null}}", " \"padded\" ")) {
            assertThat(MergeVerifier.parse(text)).as(text).isEqualTo(jackson.readTree(text));
            assertThat(MergeVerifier.parse(text).getClass()).as(text).isEqualTo(jackson.readTree(text).getClass());
        }
        assertThat(MergeVerifier.parse(null)).isNull();
        for (String broken : List.of("\"", "\"raw\nnewline\"", "nul")) {
            assertThatThrownBy(() -> MergeVerifier.parse(broken)).as(broken).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
