package dev.deltawatch.worker.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescerTest {
    private final MutableClock clock = new MutableClock(Instant.EPOCH);
    private final Coalescer coalescer = new Coalescer(Duration.ofMillis(250), 1000, clock);

    private static Work records(String... ids) {
        return new Work(CheckGroup.MERGE_RECORDS, CheckScope.records(List.of(ids)), Trigger.manual());
    }

    @Test
    void aThousandUpdatesOfFiveRecordsBecomeOneBatchAfterTheWindow() {
        for (int i = 0; i < 1000; i++) {
            coalescer.add(records(Integer.toString(i % 5)));
        }
        assertThat(coalescer.due()).isEmpty();
        clock.advance(Duration.ofMillis(250));
        List<Work> due = coalescer.due();
        assertThat(due).singleElement().satisfies(w ->
                assertThat(w.scope().ids()).containsExactly("0", "1", "2", "3", "4"));
        assertThat(coalescer.isEmpty()).isTrue();
    }

    @Test
    void aFullBatchIsDueBeforeTheWindowAndSplitAtTheLimit() {
        for (int i = 0; i < 1500; i++) {
            coalescer.add(records(Integer.toString(i)));
        }
        List<Work> due = coalescer.due();
        assertThat(due).hasSize(2);
        assertThat(due.get(0).scope().ids()).hasSize(1000);
        assertThat(due.get(1).scope().ids()).hasSize(500);
    }

    @Test
    void anAllScopeAbsorbsRecordScopesOfItsGroupAndKeepsTheNewestTrigger() {
        coalescer.add(records("1"));
        Trigger ddl = new Trigger(Trigger.Reason.SCHEMA_CHANGE, "e2", "0/2", 2L, "CREATE FUNCTION x");
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), ddl));
        assertThat(coalescer.flush()).singleElement().satisfies(w -> {
            assertThat(w.scope().kind()).isEqualTo(CheckScope.Kind.ALL);
            assertThat(w.trigger()).isEqualTo(ddl);
        });
    }

    @Test
    void aSampleKeepsItsSizeAndDoesNotSwallowTheRecordsThatChanged() {
        // The start-up pass queues a sample of MERGE_RECORDS; a backlog read right after must still be checked by
        // key, since a sample need not contain those records.
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.sample(1000), Trigger.schedule()));
        coalescer.add(records("7", "8"));
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.sample(50), Trigger.schedule()));
        List<Work> out = coalescer.flush();
        assertThat(out).extracting(w -> w.scope().kind())
                .containsExactlyInAnyOrder(CheckScope.Kind.RECORDS, CheckScope.Kind.SAMPLE);
        assertThat(out).filteredOn(w -> w.scope().kind() == CheckScope.Kind.RECORDS).singleElement()
                .satisfies(w -> {
                    assertThat(w.scope().ids()).containsExactly("7", "8");
                    assertThat(w.trigger()).isEqualTo(Trigger.manual());
                });
        assertThat(out).filteredOn(w -> w.scope().kind() == CheckScope.Kind.SAMPLE).singleElement()
                .satisfies(w -> {
                    assertThat(w.scope().sampleSize()).isEqualTo(1000);
                    assertThat(w.trigger()).isEqualTo(Trigger.schedule());
                });
    }

    @Test
    void anAllScopeAbsorbsASample() {
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.sample(1000), Trigger.schedule()));
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), Trigger.manual()));
        assertThat(coalescer.flush()).singleElement()
                .satisfies(w -> assertThat(w.scope().kind()).isEqualTo(CheckScope.Kind.ALL));
    }

    @Test
    void groupsAreBatchedSeparately() {
        coalescer.add(records("1"));
        coalescer.add(new Work(CheckGroup.PLAN_AUDIT, CheckScope.objects(List.of("pfa_records")), Trigger.manual()));
        coalescer.add(new Work(CheckGroup.PLAN_AUDIT, CheckScope.objects(List.of("pfa_records")), Trigger.manual()));
        assertThat(coalescer.flush()).extracting(Work::group)
                .containsExactlyInAnyOrder(CheckGroup.MERGE_RECORDS, CheckGroup.PLAN_AUDIT);
    }
}
