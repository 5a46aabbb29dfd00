package dev.deltawatch.worker.runtime;

import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckRegistry;
import dev.deltawatch.worker.route.CheckGroup;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which registered checks serve each routed group. Names not registered (a family switched off) are skipped. */
final class CheckGroups {
    private static final Map<CheckGroup, Set<String>> NAMES = Map.of(
            CheckGroup.MERGE_RECORDS, Set.of("merge.differential", "merge.generated-column"),
            // The full pass of merge.differential a redefined function needs is routed as MERGE_RECORDS with scope
            // ALL, so the record-level checks stay in one lane of the validate loop (CheckGroup#slow).
            CheckGroup.MERGE_BATTERY, Set.of("merge.battery", "merge.volatility"),
            CheckGroup.VERSION_PASSIVE, Set.of("lock.version-discipline"),
            CheckGroup.LOCK_PROBES, Set.of("lock.same-version-race", "lock.stale-write", "lock.lost-update",
                    "lock.deadlock", "lock.settings", "lock.isolation-matrix", "lock.blocking-chains"),
            CheckGroup.EDGE_WRITE_PATH, Set.of("edge.write-path"),
            CheckGroup.PLAN_AUDIT, Set.of("plan.audit"),
            CheckGroup.HYGIENE_SCHEMA, Set.of("hygiene.table-flaws", "hygiene.index-flaws", "hygiene.function-hygiene",
                    "hygiene.generated-predicate-index", "hygiene.replica-identity"),
            CheckGroup.HYGIENE_RUNTIME, Set.of("hygiene.stale-generated-values", "hygiene.unbounded-results",
                    "hygiene.inactive-replication-slot", "hygiene.connection-pooling"));

    private CheckGroups() {}

    static Map<CheckGroup, List<Check>> from(CheckRegistry registry) {
        Map<CheckGroup, List<Check>> out = new EnumMap<>(CheckGroup.class);
        for (CheckGroup group : CheckGroup.values()) {
            List<Check> checks = new ArrayList<>();
            for (Check c : registry.all()) {
                if (NAMES.getOrDefault(group, Set.of()).contains(c.name())) {
                    checks.add(c);
                }
            }
            out.put(group, checks);
        }
        return out;
    }

    static Set<String> knownNames() {
        Set<String> all = new java.util.HashSet<>();
        NAMES.values().forEach(all::addAll);
        return all;
    }
}
