package dev.deltawatch.worker.check.plan;

import dev.deltawatch.worker.check.CheckContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Baselines in this process only: for tests, benchmarks and one-shot {@code check} runs. Thread-safe. */
public final class InMemoryBaselineStore implements BaselineStore {
    private final Map<String, Map<String, PlanBaseline>> byTarget = new ConcurrentHashMap<>();

    @Override
    public Map<String, PlanBaseline> load(CheckContext context) {
        return new HashMap<>(byTarget.getOrDefault(context.targetName(), Map.of()));
    }

    @Override
    public void save(CheckContext context, PlanBaseline baseline) {
        byTarget.computeIfAbsent(context.targetName(), t -> new ConcurrentHashMap<>()).put(baseline.queryName(), baseline);
    }
}
