package dev.deltawatch.worker.config;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.deltawatch.contracts.Contracts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates JSON against the contracts' JSON Schemas (draft 2020-12). Each problem reads
 * {@code $.path: what is wrong}, so it names the field.
 */
public final class ContractSchemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private ContractSchemas() {}

    /** Problems of {@code json} against the schema of {@code contract}; empty when valid. */
    public static List<String> problems(Class<?> contract, String json) {
        return problems(Contracts.schemaResource(contract), json);
    }

    /** Problems of {@code json} against the schema at classpath {@code resource}; empty when valid. */
    public static List<String> problems(String resource, String json) {
        Schema schema = CACHE.computeIfAbsent(resource, ContractSchemas::load);
        List<Error> errors = schema.validate(json, InputFormat.JSON);
        return errors.stream().map(Error::toString).toList();
    }

    private static Schema load(String resource) {
        try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no JSON Schema on the classpath at " + resource);
            }
            return REGISTRY.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
