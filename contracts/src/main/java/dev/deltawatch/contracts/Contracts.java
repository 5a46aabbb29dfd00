package dev.deltawatch.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * JSON serde for every contract. Unknown fields are ignored (old readers keep working when writers add
 * fields); a missing or malformed required field is rejected with a {@link ContractException} naming it.
 * Timestamps are ISO-8601 strings.
 */
public final class Contracts {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            // Absent means "not applicable"; an explicit JSON null inside a document (NullNode) is still written.
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Contracts() {}

    /** A shared, thread-safe mapper configured for the contracts. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new ContractException("cannot encode " + message.getClass().getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    public static String encodeToString(Object message) {
        return new String(encode(message), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static <T> T decode(byte[] json, Class<T> type) {
        if (json == null) {
            throw new ContractException("invalid " + type.getSimpleName() + ": message has no value", null);
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw explain(type, e);
        }
    }

    public static <T> T decode(String json, Class<T> type) {
        return decode(json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    }

    /** Resource path of the JSON Schema for a contract type, e.g. {@code dev/deltawatch/contracts/schemas/finding.schema.json}. */
    public static String schemaResource(Class<?> type) {
        String name = type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
        return "dev/deltawatch/contracts/schemas/" + name + ".schema.json";
    }

    private static ContractException explain(Class<?> type, IOException e) {
        String where = "";
        String why;
        if (e instanceof JsonMappingException jme) {
            where = jme.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            Throwable cause = e instanceof ValueInstantiationException && e.getCause() != null ? e.getCause() : e;
            why = cause instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : cause.getMessage();
        } else if (e instanceof JsonProcessingException jpe) {
            why = "malformed JSON: " + jpe.getOriginalMessage();
        } else {
            why = e.getMessage();
        }
        String at = where.isEmpty() ? "" : " at '" + where + "'";
        return new ContractException("invalid " + type.getSimpleName() + at + ": " + firstLine(why), e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
