package dev.deltawatch.worker.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The worker's validated configuration: every key of {@link WorkerConfigDef} with its effective value (file,
 * then environment, then default), plus the Debezium passthrough properties. Immutable.
 */
public final class WorkerConfig {
    private final Map<String, String> values;
    private final Map<String, String> debezium;

    WorkerConfig(Map<String, String> values, Map<String, String> debezium) {
        this.values = Map.copyOf(values);
        this.debezium = Map.copyOf(debezium);
    }

    public String string(ConfigKey key) {
        return values.get(key.name());
    }

    public long number(ConfigKey key) {
        return Long.parseLong(values.get(key.name()).trim());
    }

    public int integer(ConfigKey key) {
        return Math.toIntExact(number(key));
    }

    public Duration millis(ConfigKey key) {
        return Duration.ofMillis(number(key));
    }

    public boolean bool(ConfigKey key) {
        return Boolean.parseBoolean(values.get(key.name()).trim());
    }

    public List<String> list(ConfigKey key) {
        String v = values.get(key.name());
        return v == null || v.isBlank() ? List.of()
                : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public Set<String> roles() {
        return Set.copyOf(list(WorkerConfigDef.ROLES_KEY));
    }

    public Set<String> families() {
        return Set.copyOf(list(WorkerConfigDef.FAMILIES_KEY));
    }

    /** Properties for the Debezium engine from {@code deltawatch.capture.debezium.*}, prefix removed. */
    public Map<String, String> debeziumProperties() {
        return debezium;
    }

    /** The effective configuration, one {@code key = value} per line, secrets masked. Safe to log. */
    public String describe() {
        Map<String, String> shown = new TreeMap<>();
        for (ConfigKey k : WorkerConfigDef.KEYS) {
            String v = values.get(k.name());
            shown.put(k.name(), v == null ? "(unset)" : k.secret() ? "******" : v);
        }
        debezium.forEach((k, v) -> shown.put(WorkerConfigDef.DEBEZIUM_PASSTHROUGH + k,
                k.toLowerCase().contains("password") ? "******" : v));
        return shown.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining("\n"));
    }
}
