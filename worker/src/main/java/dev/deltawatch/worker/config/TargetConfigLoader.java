package dev.deltawatch.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.deltawatch.contracts.ContractException;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.TargetConfigUpgrade;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a {@link TargetConfig} from YAML (or JSON), validating it against the TargetConfig JSON Schema first so
 * every problem is reported at once, each naming its field (unknown keys included). A schema-version-1 file is
 * validated against its own schema, then upgraded to version 2. Catalog checks (do the tables, columns and
 * functions exist?) happen later, against the database.
 */
public final class TargetConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String V1_SCHEMA = "dev/deltawatch/contracts/schemas/target-config-v1.schema.json";

    private TargetConfigLoader() {}

    public static TargetConfig fromFile(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("file does not exist"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
    }

    public static TargetConfig fromClasspath(String resource) {
        try (InputStream in = TargetConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("classpath:" + resource, List.of("resource not found"));
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "classpath:" + resource);
        } catch (IOException e) {
            throw new ConfigException("classpath:" + resource, List.of("cannot read: " + e.getMessage()));
        }
    }

    /** Parses YAML text; {@code source} names it in errors. */
    public static TargetConfig parse(String yaml, String source) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(source, List.of(YamlErrors.describe(e)));
        }
        if (tree == null || !tree.isObject()) {
            throw new ConfigException(source, List.of("expected a mapping at the top level"));
        }
        if (TargetConfigUpgrade.versionOf(tree) == 1) {
            List<String> v1Problems = ContractSchemas.problems(V1_SCHEMA, tree.toString());
            if (!v1Problems.isEmpty()) {
                throw new ConfigException(source, v1Problems);
            }
            try {
                tree = TargetConfigUpgrade.toV2(tree);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source, List.of(e.getMessage()));
            }
        }
        List<String> problems = ContractSchemas.problems(TargetConfig.class, tree.toString());
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        try {
            return Contracts.decode(tree.toString(), TargetConfig.class);
        } catch (ContractException e) {
            throw new ConfigException(source, List.of(e.getMessage()));
        }
    }
}
