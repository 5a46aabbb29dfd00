package dev.deltawatch.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckRegistry;
import dev.deltawatch.worker.check.Checks;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.route.CheckGroup;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CheckGroupsTest {

    @Test
    void everyRoutedCheckNameIsRegisteredAndEveryGroupHasChecksOfItsFamily() {
        try (CheckRegistry registry = Checks.forFamilies(Set.copyOf(WorkerConfigDef.FAMILIES))) {
            Set<String> registered = registry.all().stream().map(Check::name).collect(Collectors.toSet());
            assertThat(registered).containsAll(CheckGroups.knownNames());
            Map<CheckGroup, List<Check>> groups = CheckGroups.from(registry);
            for (CheckGroup g : CheckGroup.values()) {
                assertThat(groups.get(g)).as(g.name()).isNotEmpty()
                        .allSatisfy(c -> assertThat(c.family()).isEqualTo(g.family()));
            }
        }
    }

    @Test
    void everyRegisteredCheckIsReachableFromSomeRoutedGroup() {
        try (CheckRegistry registry = Checks.forFamilies(Set.copyOf(WorkerConfigDef.FAMILIES))) {
            Set<String> unrouted = registry.all().stream().map(Check::name)
                    .filter(n -> !CheckGroups.knownNames().contains(n)).collect(Collectors.toSet());
            assertThat(unrouted).isEmpty();
        }
    }

    @Test
    void slowGroupsShareNoCheckWithTheRecordChecksOfTheValidateLoop() {
        try (CheckRegistry registry = Checks.forFamilies(Set.copyOf(WorkerConfigDef.FAMILIES))) {
            Map<CheckGroup, List<Check>> groups = CheckGroups.from(registry);
            Set<String> fast = new java.util.HashSet<>();
            Set<String> slow = new java.util.HashSet<>();
            groups.forEach((g, checks) -> checks.forEach(c -> (g.slow() ? slow : fast).add(c.name())));
            assertThat(fast).containsExactlyInAnyOrder("merge.differential", "merge.generated-column",
                    "lock.version-discipline");
            assertThat(slow).doesNotContainAnyElementsOf(fast);
        }
    }

    @Test
    void theQuickAuditsAndTheLongProbesShareNoCheckAndTheProbesAreTheLongOnes() {
        try (CheckRegistry registry = Checks.forFamilies(Set.copyOf(WorkerConfigDef.FAMILIES))) {
            Set<String> quick = new java.util.HashSet<>();
            Set<String> longRunning = new java.util.HashSet<>();
            CheckGroups.from(registry).forEach((g, checks) -> checks.stream().filter(c -> g.slow())
                    .forEach(c -> (g.runsLong() ? longRunning : quick).add(c.name())));
            assertThat(quick).doesNotContainAnyElementsOf(longRunning).contains("plan.audit", "merge.battery")
                    .noneMatch(n -> n.startsWith("lock."));
            assertThat(longRunning).contains("lock.isolation-matrix", "edge.write-path", "hygiene.connection-pooling");
        }
    }
}
