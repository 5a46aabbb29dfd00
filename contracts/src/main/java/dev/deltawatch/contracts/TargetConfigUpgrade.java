package dev.deltawatch.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rewrites a schema-version-1 target config (one table holding mirror, delta and version; a write function called
 * {@code (key, patch, expected_version)}) into the version-2 shape, so the rest of deltawatch knows one shape only.
 * The input must already be valid against the version-1 schema.
 */
public final class TargetConfigUpgrade {
    /** v1's probe column default, kept so a v1 file means what it meant. */
    private static final String V1_PROBE_COLUMN = "organization_id";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TargetConfigUpgrade() {}

    /** The schema version a config tree declares (0 when it declares none). */
    public static int versionOf(JsonNode tree) {
        return tree.path("schemaVersion").asInt(0);
    }

    public static ObjectNode toV2(JsonNode v1) {
        if (v1.path("tables").size() != 1) {
            throw new IllegalArgumentException("field 'tables': schemaVersion 1 describes exactly one table (mirror, "
                    + "delta and version on one row); write schemaVersion 2 with 'documents' for other layouts");
        }
        JsonNode t = v1.path("tables").get(0);
        ObjectNode out = JSON.objectNode();
        out.put("schemaVersion", TargetConfig.SCHEMA_VERSION);
        out.set("name", v1.get("name"));
        if (v1.has("schema")) {
            out.set("schema", v1.get("schema"));
        }
        ObjectNode documents = out.putObject("documents");
        documents.putObject("mirror").put("table", t.path("name").asText())
                .put("key", t.path("keyColumn").asText()).put("column", t.path("mirrorColumn").asText());
        documents.putObject("delta").put("column", t.path("deltaColumn").asText());
        documents.putObject("version").put("on", "mirror").put("column", t.path("versionColumn").asText())
                .put("kind", "integer");
        ArrayNode generated = documents.putArray("generatedColumns");
        for (JsonNode g : t.path("generatedColumns")) {
            ObjectNode copy = ((ObjectNode) g).deepCopy();
            copy.put("source", "merged");
            generated.add(copy);
        }
        out.set("merge", v1.get("merge"));
        JsonNode write = v1.get("write");
        if (write != null && !write.isNull()) {
            ObjectNode w = out.putObject("write");
            w.put("function", write.path("function").asText());
            w.putArray("arguments").add("key").add("patch").add("expectedVersion");
            w.putObject("conflict").put("sqlState", write.path("conflictSqlState").asText())
                    .put("message", write.path("conflictMessage").asText());
        }
        if (v1.has("queries")) {
            out.set("queries", v1.get("queries"));
        }
        ObjectNode probes = out.putObject("probes");
        JsonNode p = v1.path("probes");
        probes.put("column", p.path("column").asText(V1_PROBE_COLUMN));
        if (p.hasNonNull("namespace")) {
            probes.set("namespace", p.get("namespace"));
        }
        return out;
    }
}
