package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.SchemaChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerSettingsWatchTest {
    private static final PlannerSettingsWatch.Scope DATABASE = new PlannerSettingsWatch.Scope("ALTER DATABASE",
            "staging");
    private static final PlannerSettingsWatch.Scope ROLE = new PlannerSettingsWatch.Scope("ALTER ROLE",
            "deltawatch IN DATABASE staging");

    @Test
    void settingsChangedTogetherInOneScopeAreOneChangeNamingEachClause() {
        List<SchemaChange> changes = PlannerSettingsWatch.diff(Map.of(DATABASE, Map.of("work_mem", "4MB")),
                Map.of(DATABASE, Map.of("enable_indexscan", "off", "enable_bitmapscan", "off")));
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.commandTag()).isEqualTo("ALTER DATABASE");
            assertThat(c.objectType()).isEqualTo(SchemaChange.PLANNER_SETTING);
            assertThat(c.objectIdentity())
                    .isEqualTo("staging SET enable_bitmapscan = off, SET enable_indexscan = off, RESET work_mem");
            assertThat(c.tableName()).isNull();
        });
    }

    @Test
    void eachScopeIsItsOwnChangeAndNothingChangedIsNothing() {
        Map<PlannerSettingsWatch.Scope, Map<String, String>> before = Map.of(DATABASE, Map.of("jit", "off"));
        assertThat(PlannerSettingsWatch.diff(before, before)).isEmpty();
        List<SchemaChange> changes = PlannerSettingsWatch.diff(before,
                Map.of(DATABASE, Map.of("jit", "on"), ROLE, Map.of("random_page_cost", "1.1")));
        assertThat(changes).extracting(c -> c.commandTag() + " " + c.objectIdentity()).containsExactly(
                "ALTER DATABASE staging SET jit = on",
                "ALTER ROLE deltawatch IN DATABASE staging SET random_page_cost = 1.1");
    }
}
