package dev.deltawatch.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the worker's YAML configuration. Keys may be written nested or dotted ({@code deltawatch: {route: ...}}
 * and {@code deltawatch.route.coalesce.window.ms: 250} mean the same). Precedence: environment
 * ({@code DELTAWATCH_ROUTE_COALESCE_WINDOW_MS}, and the aliases {@code DELTAWATCH_JDBC_URL},
 * {@code DELTAWATCH_KAFKA_BOOTSTRAP}...) over the file over defaults. Every problem is collected and reported at
 * once: unknown keys (with the closest known one), bad values (key, value, rule), secrets in the file, and
 * required keys that are missing.
 */
public final class WorkerConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private WorkerConfigLoader() {}

    public static WorkerConfig load(Path file, Map<String, String> env, List<ConfigKey> required) {
        String text;
        try {
            text = file == null ? "" : Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(String.valueOf(file), List.of("file does not exist"));
        } catch (IOException e) {
            throw new ConfigException(String.valueOf(file), List.of("cannot read: " + e.getMessage()));
        }
        return parse(text, file == null ? "(no file)" : file.toString(), env, required);
    }

    public static WorkerConfig parse(String yaml, String source, Map<String, String> env, List<ConfigKey> required) {
        List<String> problems = new ArrayList<>();
        Map<String, String> fromFile = flatten(yaml, source);
        Map<String, ConfigKey> known = WorkerConfigDef.byName();
        Map<String, String> debezium = new LinkedHashMap<>();
        Map<String, String> values = new HashMap<>();
        fromFile.forEach((k, v) -> {
            if (k.startsWith(WorkerConfigDef.DEBEZIUM_PASSTHROUGH)) {
                debezium.put(k.substring(WorkerConfigDef.DEBEZIUM_PASSTHROUGH.length()), v);
            } else if (!known.containsKey(k)) {
                problems.add("unknown key " + k + closest(k, known.keySet()));
            } else if (known.get(k).secret()) {
                problems.add(k + ": secrets are read from the environment only ("
                        + known.get(k).envName() + "); remove it from " + source);
            } else {
                values.put(k, v);
            }
        });
        WorkerConfigDef.ENV_ALIASES.forEach((envName, key) -> {
            if (env.containsKey(envName)) {
                values.put(key.name(), env.get(envName));
            }
        });
        for (ConfigKey key : known.values()) {
            if (env.containsKey(key.envName())) {
                values.put(key.name(), env.get(key.envName()));
            }
            if (!values.containsKey(key.name()) && key.defaultValue() != null) {
                values.put(key.name(), key.defaultValue());
            }
            String v = values.get(key.name());
            if (v != null) {
                String p = key.problem(v);
                if (p != null) {
                    problems.add(p);
                }
            } else if (required.contains(key)) {
                problems.add("missing required configuration " + key.name() + " (or environment " + key.envName() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new WorkerConfig(values, debezium);
    }

    private static Map<String, String> flatten(String yaml, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        if (yaml == null || yaml.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(source, List.of(YamlErrors.describe(e)));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw new ConfigException(source, List.of("expected a mapping of keys at the top level"));
        }
        flatten("", root, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(n -> items.add(n.asText()));
            out.put(prefix, String.join(",", items));
        } else {
            out.put(prefix, node.isNull() ? "" : node.asText());
        }
    }

    private static String closest(String key, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(3, key.length() / 4) ? " (did you mean " + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
