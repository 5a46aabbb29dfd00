package dev.deltawatch.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContractsTest {

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("change-event.delta-update.json", ChangeEvent.class),
                Arguments.of("change-event.schema-change.json", ChangeEvent.class),
                Arguments.of("change-event.draft-update.json", ChangeEvent.class),
                Arguments.of("change-event.override-token.json", ChangeEvent.class),
                Arguments.of("finding.seq-scan.json", Finding.class),
                Arguments.of("check-run.merge.json", CheckRun.class),
                Arguments.of("target-config.reference.json", TargetConfig.class),
                Arguments.of("target-config.drafts.json", TargetConfig.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleRoundTripsAndValidatesAgainstItsSchema(String file, Class<?> type) throws IOException {
        String json = read("examples/" + file);
        assertThat(schemaProblems(type, json)).as("example against schema").isEmpty();

        Object decoded = Contracts.decode(json, type);
        String reencoded = Contracts.encodeToString(decoded);
        assertThat(schemaProblems(type, reencoded)).as("re-encoded against schema").isEmpty();
        assertThat(Contracts.decode(reencoded, type)).isEqualTo(decoded);
        JsonNode original = Contracts.mapper().readTree(json);
        JsonNode again = Contracts.mapper().readTree(reencoded);
        assertThat(again).isEqualTo(original);
    }

    @Test
    void unknownFieldsAreIgnoredSoNewerWritersDoNotBreakReaders() throws IOException {
        ObjectNode node = (ObjectNode) Contracts.mapper().readTree(read("examples/finding.seq-scan.json"));
        node.put("addedInVersionTwo", "whatever");
        Finding f = Contracts.decode(node.toString(), Finding.class);
        assertThat(f.rule()).isEqualTo("seq-scan-large-relation");
    }

    @Test
    void missingRequiredFieldIsRejectedNamingTheField() throws IOException {
        ObjectNode node = (ObjectNode) Contracts.mapper().readTree(read("examples/finding.seq-scan.json"));
        node.remove("severity");
        assertThatThrownBy(() -> Contracts.decode(node.toString(), Finding.class))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("'severity'");
        assertThat(schemaProblems(Finding.class, node.toString()))
                .anySatisfy(p -> assertThat(p).contains("severity"));
    }

    @Test
    void wrongTypeIsRejectedNamingTheFieldPath() throws IOException {
        ObjectNode node = (ObjectNode) Contracts.mapper().readTree(read("examples/change-event.delta-update.json"));
        ((ObjectNode) node.get("after")).put("version", "two");
        assertThatThrownBy(() -> Contracts.decode(node.toString(), ChangeEvent.class))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("after.version");
        assertThat(schemaProblems(ChangeEvent.class, node.toString()))
                .anySatisfy(p -> assertThat(p).contains("/after/version"));
    }

    @Test
    void deltaRowWithoutRecordKeyIsRejected() throws IOException {
        ObjectNode node = (ObjectNode) Contracts.mapper().readTree(read("examples/change-event.delta-update.json"));
        node.remove("recordKey");
        assertThatThrownBy(() -> Contracts.decode(node.toString(), ChangeEvent.class))
                .hasMessageContaining("'recordKey'");
        assertThat(schemaProblems(ChangeEvent.class, node.toString())).isNotEmpty();
    }

    @Test
    void unknownSchemaVersionIsRejectedWithTheSupportedRange() throws IOException {
        ObjectNode node = (ObjectNode) Contracts.mapper().readTree(read("examples/check-run.merge.json"));
        node.put("schemaVersion", 99);
        assertThatThrownBy(() -> Contracts.decode(node.toString(), CheckRun.class))
                .hasMessageContaining("schemaVersion").hasMessageContaining("1..1");
    }

    @Test
    void malformedJsonIsRejectedAsContractException() {
        assertThatThrownBy(() -> Contracts.decode("{\"schemaVersion\": 1,", ChangeEvent.class))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void changeEventsOfOneRecordShareAPartitionKey() throws IOException {
        ChangeEvent e = Contracts.decode(read("examples/change-event.delta-update.json"), ChangeEvent.class);
        assertThat(e.partitionKey()).isEqualTo("public.pfa_records/42");
    }

    @Test
    void deltaTableEventsCarryTheDocumentOwnerAndTokenVersions() throws IOException {
        ChangeEvent draft = Contracts.decode(read("examples/change-event.draft-update.json"), ChangeEvent.class);
        assertThat(draft.owner()).isEqualTo("merch-007");
        assertThat(draft.after().version()).isEqualTo(4L);
        assertThat(draft.after().versionToken()).isNull();
        assertThat(draft.after().mirror()).isNull();
        ChangeEvent override = Contracts.decode(read("examples/change-event.override-token.json"), ChangeEvent.class);
        assertThat(override.owner()).isNull();
        assertThat(override.after().version()).isNull();
        assertThat(override.after().versionToken()).isEqualTo("2026-11-26T10:15:30.000002Z");
        // A reference-target event written before owner and versionToken existed still decodes unchanged.
        ChangeEvent old = Contracts.decode(read("examples/change-event.delta-update.json"), ChangeEvent.class);
        assertThat(old.owner()).isNull();
        assertThat(old.after().versionToken()).isNull();
    }

    @Test
    void mergeContractEnumsUseTheLowercaseConfigWords() {
        String json = Contracts.encodeToString(MergeContract.reference());
        assertThat(json).contains("\"objects\":\"deep\"").contains("\"deltaNull\":\"override\"")
                .contains("\"arrays\":\"replace\"").contains("\"sqlNull\":\"empty\"");
    }

    private static List<String> schemaProblems(Class<?> type, String json) throws IOException {
        try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(Contracts.schemaResource(type))) {
            assertThat(in).as("schema resource for " + type.getSimpleName()).isNotNull();
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
            return schema.validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
        }
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = ContractsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
