package dev.deltawatch.worker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-compose.yml as a sequence test reads it: its services, what each runs with which environment, and the
 * order {@code depends_on} makes Docker start them in. Only what Compose itself would do is interpreted here;
 * anything this reader does not understand fails the test rather than being skipped.
 */
final class ComposeFile {
    static final String COMPLETED = "service_completed_successfully";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final ObjectNode services;

    private ComposeFile(ObjectNode services) {
        this.services = services;
    }

    static ComposeFile read(Path file) throws IOException {
        JsonNode root = new YAMLMapper().readTree(file.toFile());
        if (!(root.get("services") instanceof ObjectNode services)) {
            throw new IllegalArgumentException(file + ": no services");
        }
        return new ComposeFile(services);
    }

    /** One service of the file. */
    record Service(String name, JsonNode node) {
        /** The Dockerfile the service is built from, or null when it runs a pulled image. */
        String dockerfile() {
            JsonNode build = node.path("build");
            return build.isMissingNode() ? null : build.path("dockerfile").asText("Dockerfile");
        }

        String image() {
            return node.path("image").asText(null);
        }

        /** {@code command:} (exec form only: a shell string would need a shell the image may not have). */
        List<String> command(Map<String, String> variables) {
            JsonNode command = node.path("command");
            if (!command.isMissingNode() && !command.isArray()) {
                throw new IllegalArgumentException(name + ": command must be a list (exec form)");
            }
            List<String> out = new ArrayList<>();
            command.forEach(a -> out.add(substitute(a.asText(), variables)));
            return out;
        }

        /** {@code environment:} in either form (map, or list of KEY=VALUE), with ${VAR:-default} substituted. */
        Map<String, String> environment(Map<String, String> variables) {
            Map<String, String> out = new LinkedHashMap<>();
            JsonNode env = node.path("environment");
            if (env.isArray()) {
                env.forEach(e -> {
                    String[] kv = e.asText().split("=", 2);
                    out.put(kv[0], kv.length > 1 ? substitute(kv[1], variables) : variables.getOrDefault(kv[0], ""));
                });
            } else {
                env.fields().forEachRemaining(e -> out.put(e.getKey(), substitute(e.getValue().asText(), variables)));
            }
            return out;
        }

        /** The services this one waits for, with the condition ({@code service_started} for the list form). */
        Map<String, String> dependsOn() {
            Map<String, String> out = new LinkedHashMap<>();
            JsonNode deps = node.path("depends_on");
            if (deps.isArray()) {
                deps.forEach(d -> out.put(d.asText(), "service_started"));
            } else {
                deps.fields().forEachRemaining(e -> out.put(e.getKey(),
                        e.getValue().path("condition").asText("service_started")));
            }
            return out;
        }

        /** The healthcheck's test, its words joined by spaces; empty when there is none. */
        String healthcheck() {
            JsonNode test = node.path("healthcheck").path("test");
            if (test.isTextual()) {
                return test.asText();
            }
            List<String> words = new ArrayList<>();
            test.forEach(w -> words.add(w.asText()));
            return String.join(" ", words);
        }
    }

    Service service(String name) {
        JsonNode node = services.get(name);
        if (node == null) {
            throw new IllegalArgumentException("docker-compose.yml has no service " + name);
        }
        return new Service(name, node);
    }

    List<String> names() {
        List<String> out = new ArrayList<>();
        services.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Whether another service waits for this one to exit 0: then it is a one-shot that must finish first. */
    boolean isOneShot(String name) {
        return names().stream().anyMatch(n -> COMPLETED.equals(service(n).dependsOn().get(name)));
    }

    /**
     * The order Compose starts services in: each after everything it depends on; among services free to start,
     * the file's order. A dependency on a service that does not exist, or a cycle, is an error as in Compose.
     */
    List<Service> startOrder() {
        List<Service> order = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        List<String> pending = new ArrayList<>(names());
        while (!pending.isEmpty()) {
            String next = null;
            for (String n : pending) {
                for (String dep : service(n).dependsOn().keySet()) {
                    if (!services.has(dep)) {
                        throw new IllegalArgumentException("service " + n + " depends on undefined service " + dep);
                    }
                }
                if (placed.containsAll(service(n).dependsOn().keySet())) {
                    next = n;
                    break;
                }
            }
            if (next == null) {
                throw new IllegalArgumentException("dependency cycle among " + pending);
            }
            pending.remove(next);
            placed.add(next);
            order.add(service(next));
        }
        return order;
    }

    /** This file without {@code name} and every dependency on it: what a stack without that service would do. */
    ComposeFile without(String name) {
        ObjectNode copy = services.deepCopy();
        copy.remove(name);
        for (Iterator<JsonNode> it = copy.elements(); it.hasNext(); ) {
            JsonNode deps = it.next().path("depends_on");
            if (deps instanceof ObjectNode o) {
                o.remove(name);
            } else if (deps instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
                for (int i = a.size() - 1; i >= 0; i--) {
                    if (a.get(i).asText().equals(name)) {
                        a.remove(i);
                    }
                }
            }
        }
        return new ComposeFile(copy);
    }

    /** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, and $$ for a literal $. */
    static String substitute(String value, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String v = variables.get(m.group(1));
                boolean colon = m.group().contains(":-");
                boolean useDefault = v == null || (colon && v.isEmpty());
                replacement = useDefault ? (m.group(2) == null ? "" : m.group(2)) : v;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
