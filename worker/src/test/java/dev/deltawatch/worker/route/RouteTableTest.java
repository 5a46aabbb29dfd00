package dev.deltawatch.worker.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.RowImage;
import dev.deltawatch.contracts.SchemaChange;
import dev.deltawatch.contracts.SourcePosition;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final RouteTable table = new RouteTable(ReferenceTarget.config());
    private static final SourcePosition AT = new SourcePosition("0/1", 7L, Instant.EPOCH);

    static ChangeEvent delta(String table, String key, ChangeEvent.Operation op) {
        RowImage img = new RowImage(null, null, 1L, true);
        return ChangeEvent.deltaRow("0/1:" + key, table, key, op, img, img, AT, Instant.EPOCH);
    }

    static ChangeEvent ddl(String tag, String type, String identity, String table) {
        return ChangeEvent.schemaChange("0/2:0", new SchemaChange(tag, type, identity, "public", table, "h"), AT,
                Instant.EPOCH);
    }

    private static List<CheckGroup> groups(List<Work> work) {
        return work.stream().map(Work::group).toList();
    }

    @Test
    void deltaUpdateRerunsMergeOnThatRecordAndThePassiveVersionCheck() {
        List<Work> work = table.route(delta("public.pfa_records", "42", ChangeEvent.Operation.UPDATE));
        assertThat(groups(work)).containsExactlyInAnyOrder(CheckGroup.MERGE_RECORDS, CheckGroup.VERSION_PASSIVE);
        assertThat(work).allSatisfy(w -> {
            assertThat(w.scope()).isEqualTo(CheckScope.records(List.of("42")));
            assertThat(w.trigger().reason()).isEqualTo(Trigger.Reason.DELTA_CHANGE);
            assertThat(w.trigger().eventId()).isEqualTo("0/1:42");
        });
    }

    @Test
    void deletesAndUnwatchedTablesRouteNowhere() {
        assertThat(table.route(delta("public.pfa_records", "1", ChangeEvent.Operation.DELETE))).isEmpty();
        assertThat(table.route(delta("public.invoices", "1", ChangeEvent.Operation.UPDATE))).isEmpty();
    }

    @Test
    void deltaTableRowsRerunMergeOnTheirRecordAndThePassiveCheckWhereTheVersionLives() {
        RouteTable drafts = new RouteTable(ExampleTargets.DRAFTS.config());
        for (ChangeEvent.Operation op : List.of(ChangeEvent.Operation.INSERT, ChangeEvent.Operation.UPDATE)) {
            List<Work> work = drafts.route(delta("public.item_drafts", "SKU-0000042", op));
            assertThat(groups(work)).as(op.name()).containsExactlyInAnyOrder(CheckGroup.MERGE_RECORDS,
                    CheckGroup.VERSION_PASSIVE);
            assertThat(work).allSatisfy(w -> assertThat(w.scope())
                    .isEqualTo(CheckScope.records(List.of("SKU-0000042"))));
        }
        // A deleted draft: the document merges to the mirror again, so re-check it; no write to judge.
        assertThat(groups(drafts.route(delta("public.item_drafts", "SKU-0000042", ChangeEvent.Operation.DELETE))))
                .containsExactly(CheckGroup.MERGE_RECORDS);
    }

    @Test
    void mirrorRowOfADeltaTableLayoutRerunsMergeOnEveryDocumentOfItsRecordOnly() {
        RouteTable drafts = new RouteTable(ExampleTargets.DRAFTS.config());
        List<Work> work = drafts.route(delta("public.catalog_items", "SKU-0000007", ChangeEvent.Operation.UPDATE));
        assertThat(groups(work)).containsExactly(CheckGroup.MERGE_RECORDS);
        assertThat(work.get(0).scope()).isEqualTo(CheckScope.records(List.of("SKU-0000007")));
        assertThat(drafts.route(delta("public.catalog_items", "SKU-0000007", ChangeEvent.Operation.DELETE))).isEmpty();
        RouteTable overrides = new RouteTable(ExampleTargets.OVERRIDES.config());
        assertThat(groups(overrides.route(delta("public.content_overrides", "4e3677c2-3360-3e57-b935-92b470f233dd",
                ChangeEvent.Operation.UPDATE)))).containsExactlyInAnyOrder(CheckGroup.MERGE_RECORDS,
                CheckGroup.VERSION_PASSIVE);
        assertThat(groups(overrides.route(delta("public.content_pages", "4e3677c2-3360-3e57-b935-92b470f233dd",
                ChangeEvent.Operation.INSERT)))).containsExactly(CheckGroup.MERGE_RECORDS);
    }

    @Test
    void mergeFunctionRedefinedRunsTheBattery() {
        List<Work> work = table.route(ddl("CREATE FUNCTION", "function", "public.pfa_merge(jsonb,jsonb)", null));
        assertThat(groups(work)).contains(CheckGroup.MERGE_BATTERY, CheckGroup.HYGIENE_RUNTIME)
                .doesNotContain(CheckGroup.PLAN_AUDIT, CheckGroup.LOCK_PROBES);
        assertThat(work.get(0).trigger().ddlCommand()).isEqualTo("CREATE FUNCTION public.pfa_merge(jsonb,jsonb)");
    }

    @Test
    void writeFunctionOrTriggerChangedRunsLockProbesAndEdgeCases() {
        assertThat(groups(table.route(ddl("CREATE FUNCTION", "function",
                "public.pfa_update_delta(bigint,jsonb,integer,text)", null))))
                .contains(CheckGroup.LOCK_PROBES, CheckGroup.EDGE_WRITE_PATH).doesNotContain(CheckGroup.MERGE_BATTERY);
        assertThat(groups(table.route(ddl("CREATE TRIGGER", "trigger", "audit on public.pfa_records",
                "public.pfa_records")))).contains(CheckGroup.LOCK_PROBES, CheckGroup.EDGE_WRITE_PATH);
    }

    @Test
    void indexDroppedRunsPlanAuditsOfThatTable() {
        List<Work> work = table.route(ddl("DROP INDEX", "index", "public.idx_pfa_org_category", "public.pfa_records"));
        assertThat(groups(work)).containsExactlyInAnyOrder(CheckGroup.PLAN_AUDIT, CheckGroup.HYGIENE_SCHEMA);
        assertThat(work.get(0).scope()).isEqualTo(CheckScope.objects(List.of("pfa_records")));
    }

    @Test
    void unrelatedFunctionOrTableRoutesNowhere() {
        assertThat(table.route(ddl("CREATE FUNCTION", "function", "public.some_report()", null))).isEmpty();
        assertThat(table.route(ddl("CREATE INDEX", "index", "public.idx_x", "public.invoices"))).isEmpty();
    }
}
