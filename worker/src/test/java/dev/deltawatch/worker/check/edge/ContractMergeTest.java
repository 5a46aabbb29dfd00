package dev.deltawatch.worker.check.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.contracts.MergeContract;
import org.junit.jupiter.api.Test;

class ContractMergeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode j(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void referenceContractOverridesWithNullAndMergesDeeply() throws Exception {
        ContractMerge m = new ContractMerge(MergeContract.reference());
        assertThat(m.merge(j("{\"a\":{\"b\":1,\"c\":2},\"t\":[1]}"), j("{\"a\":{\"b\":null},\"t\":[2]}")))
                .isEqualTo(j("{\"a\":{\"b\":null,\"c\":2},\"t\":[2]}"));
        assertThat(m.merge(null, j("{\"x\":\"0\"}"))).isEqualTo(j("{\"x\":\"0\"}"));
        assertThat(m.merge(j("{\"x\":1}"), null)).isEqualTo(j("{\"x\":1}"));
    }

    @Test
    void rfc7386DeletesNulls() throws Exception {
        ContractMerge m = new ContractMerge(MergeContract.rfc7386());
        assertThat(m.merge(j("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}"), j("{\"a\":\"z\",\"c\":{\"f\":null}}")))
                .isEqualTo(j("{\"a\":\"z\",\"c\":{\"d\":\"e\"}}"));
        assertThat(m.merge(j("{}"), j("{\"a\":{\"bb\":{\"ccc\":null}}}"))).isEqualTo(j("{\"a\":{\"bb\":{}}}"));
    }
}
