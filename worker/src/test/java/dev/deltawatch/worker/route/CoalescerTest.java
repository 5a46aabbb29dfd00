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
        Trigger ddl = new Trigger(Trigger.Reason.SCHEMA_CHANGE, "e2", "0/2", 2L, "ALTER TABLE x");
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), ddl));
        assertThat(coalescer.flush()).singleElement().satisfies(w -> {
            assertThat(w.scope().kind()).isEqualTo(CheckScope.Kind.ALL);
            assertThat(w.trigger()).isEqualTo(ddl);
        });
    }

    @Test
    void recordsChangingWhileAPassWaitsDoNotBecomeItsTrigger() {
        // The dispatcher tells a redeploy or a revert by the pass's trigger: under load, changed records keep
        // arriving behind the DDL, and the pass must stay the DDL's.
        Trigger ddl = new Trigger(Trigger.Reason.SCHEMA_CHANGE, "e1", "0/1", 1L, "ALTER TABLE x");
        java.time.Instant committed = java.time.Instant.parse("2026-12-06T10:00:00Z");
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), ddl, List.of(), committed));
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.records(List.of("7")), new Trigger(
                Trigger.Reason.DELTA_CHANGE, "e2", "0/2", 2L, null), List.of(), committed.plusSeconds(1)));
        assertThat(coalescer.flush()).singleElement().satisfies(w -> {
            assertThat(w.scope().kind()).isEqualTo(CheckScope.Kind.ALL);
            assertThat(w.trigger()).isEqualTo(ddl);
            assertThat(w.changeCommittedAt()).isEqualTo(committed);
        });
    }

    @Test
    void aRedefinitionsPassHandsOnTheRecordsItAbsorbedAndAnyOtherCauseStaysTheCause() {
        Trigger function = new Trigger(Trigger.Reason.SCHEMA_CHANGE, "e1", "0/1", 1L, "CREATE FUNCTION public.m");
        Trigger table = new Trigger(Trigger.Reason.SCHEMA_CHANGE, "e2", "0/2", 2L, "ALTER TABLE public.t");
        // The dispatcher may skip or narrow a redefinition's pass: records that changed while it waited come first.
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), function));
        coalescer.add(records("7"));
        assertThat(coalescer.flush()).extracting(w -> w.scope().kind() + " " + w.scope().ids())
                .containsExactly("RECORDS [7]", "ALL []");
        // A pass of any other cause reads them anyway.
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), Trigger.schedule()));
        coalescer.add(records("7"));
        assertThat(coalescer.flush()).extracting(w -> w.scope().kind() + " " + w.scope().ids())
                .containsExactly("ALL []");
        // A table changed, then a function: the pass stays the table's, whatever came last.
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), table));
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), function));
        assertThat(coalescer.flush()).singleElement().extracting(Work::trigger).isEqualTo(table);
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), function));
        coalescer.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), table));
        assertThat(coalescer.flush()).singleElement().extracting(Work::trigger).isEqualTo(table);
        // Two passes drained apart (one waiting for its lane) are one the same way.
        Work tablePass = new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), table);
        assertThat(Coalescer.combinedPasses(List.of(records("1"), tablePass), List.of(records("2"),
                new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), function))))
                .containsExactly(records("1"), records("2"), tablePass);
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
