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
        assertThat(work).as("every record verified again, in the record checks' lane").anySatisfy(w -> {
            assertThat(w.group()).isEqualTo(CheckGroup.MERGE_RECORDS);
            assertThat(w.scope().kind()).isEqualTo(dev.deltawatch.contracts.CheckScope.Kind.ALL);
        });
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

    private static ChangeEvent ddlIn(String tag, String type, String identity, String schema, String table) {
        return ChangeEvent.schemaChange("0/3:0", new SchemaChange(tag, type, identity, schema, table, "h"), AT,
                Instant.EPOCH);
    }

    private static final Dependents DEPENDENTS = new Dependents(
            java.util.Map.of("public.organizations", List.of("records-by-org-name")),
            java.util.Map.of("public.pfa_merge_leaf", List.of(new Dependents.Use(Dependents.Role.MERGE,
                            "merge function public.pfa_merge")),
                    "public.audit_touch", List.of(new Dependents.Use(Dependents.Role.WRITE,
                            "trigger audit on pfa_records"))));

    @Test
    void deltawatchOwnSchemasAreOwnObjectsAndTheTargetsAreNot() {
        assertThat(table.isOwnObject(ddlIn("CREATE TABLE", "table", "deltawatch.plan_baselines", "deltawatch",
                "deltawatch.plan_baselines"))).isTrue();
        assertThat(table.isOwnObject(ddlIn("CREATE INDEX", "index", "deltawatch.plan_baselines_pkey", "deltawatch",
                null))).isTrue();
        assertThat(table.isOwnObject(ddlIn("DROP TABLE", "table", "deltawatch_probe.hermitage_g0",
                "deltawatch_probe", "deltawatch_probe.hermitage_g0"))).isTrue();
        assertThat(table.isOwnObject(ddl("DROP INDEX", "index", "public.idx_pfa_org_category",
                "public.pfa_records"))).isFalse();
        assertThat(table.isOwnObject(delta("public.pfa_records", "1", ChangeEvent.Operation.UPDATE))).isFalse();
        assertThat(table.isOwnObject(ddlIn("CREATE SCHEMA", "schema", "reports", null, null))).isFalse();
    }

    @Test
    void functionTheMergeFunctionCallsRerunsTheMergeBatteryNamingIt() {
        RouteTable withDeps = new RouteTable(ReferenceTarget.config()).withDependents(() -> DEPENDENTS);
        for (String tag : List.of("CREATE FUNCTION", "ALTER FUNCTION", "DROP FUNCTION")) {
            List<Work> work = withDeps.route(ddl(tag, "function", "public.pfa_merge_leaf(pg_catalog.jsonb)", null));
            assertThat(groups(work)).as(tag).containsExactlyInAnyOrder(CheckGroup.MERGE_BATTERY,
                    CheckGroup.MERGE_RECORDS, CheckGroup.HYGIENE_SCHEMA, CheckGroup.HYGIENE_RUNTIME);
            assertThat(work).allSatisfy(w -> assertThat(w.trigger().ddlCommand()).isEqualTo(tag
                    + " public.pfa_merge_leaf(pg_catalog.jsonb) (merge function public.pfa_merge depends on it)"));
        }
        assertThat(table.route(ddl("ALTER FUNCTION", "function", "public.pfa_merge_leaf(jsonb)", null)))
                .as("without the catalog's dependents").isEmpty();
    }

    @Test
    void triggerFunctionOfAWatchedTableRerunsTheWritePathChecks() {
        RouteTable withDeps = new RouteTable(ReferenceTarget.config()).withDependents(() -> DEPENDENTS);
        List<Work> work = withDeps.route(ddl("ALTER FUNCTION", "function", "public.\"audit_touch\"()", null));
        assertThat(groups(work)).containsExactlyInAnyOrder(CheckGroup.LOCK_PROBES, CheckGroup.EDGE_WRITE_PATH,
                CheckGroup.HYGIENE_SCHEMA);
        assertThat(work.get(0).trigger().ddlCommand()).contains("audit_touch").contains("trigger audit on pfa_records");
    }

    @Test
    void mergeFunctionItselfIsRoutedOnceWhateverTheDependentsSay() {
        Dependents deps = new Dependents(java.util.Map.of(), java.util.Map.of("public.pfa_merge", List.of(
                new Dependents.Use(Dependents.Role.MERGE, "merge function public.pfa_merge"))));
        List<Work> work = new RouteTable(ReferenceTarget.config()).withDependents(() -> deps)
                .route(ddl("ALTER FUNCTION", "function", "public.pfa_merge(jsonb,jsonb)", null));
        assertThat(groups(work)).doesNotHaveDuplicates().contains(CheckGroup.MERGE_BATTERY);
    }

    @Test
    void ddlOnAnUnwatchedTableARegisteredQueryReadsAuditsThoseQueries() {
        RouteTable withDeps = new RouteTable(ReferenceTarget.config()).withDependents(() -> DEPENDENTS);
        ChangeEvent drop = ddl("DROP INDEX", "index", "public.idx_org_name", "public.organizations");
        assertThat(table.isWatched(drop)).as("without the catalog's dependents").isFalse();
        assertThat(withDeps.isWatched(drop)).isTrue();
        List<Work> work = withDeps.route(drop);
        assertThat(groups(work)).containsExactly(CheckGroup.PLAN_AUDIT);
        assertThat(work.get(0).scope()).isEqualTo(CheckScope.objects(List.of("records-by-org-name")));
        assertThat(work.get(0).trigger().ddlCommand()).startsWith("DROP INDEX public.idx_org_name");
        assertThat(groups(withDeps.route(ddl("ALTER TABLE", "table", "public.organizations",
                "public.organizations")))).containsExactly(CheckGroup.PLAN_AUDIT);
        assertThat(withDeps.isWatched(ddl("CREATE INDEX", "index", "public.idx_x", "public.invoices"))).isFalse();
    }

    @Test
    void plannerSettingOfTheDatabaseReauditsEveryPlanNamingTheSettingAndItsScope() {
        ChangeEvent setting = ChangeEvent.schemaChange("settings:0/3:0", new SchemaChange("ALTER DATABASE",
                SchemaChange.PLANNER_SETTING, "staging SET enable_indexscan = off", null, null, null), AT, Instant.EPOCH);
        assertThat(table.isWatched(setting)).isTrue();
        assertThat(table.isOwnObject(setting)).isFalse();
        List<Work> work = table.withDependents(() -> DEPENDENTS).route(setting);
        assertThat(groups(work)).containsExactly(CheckGroup.PLAN_AUDIT);
        assertThat(work.get(0).scope()).isEqualTo(CheckScope.all());
        assertThat(work.get(0).trigger().reason()).isEqualTo(Trigger.Reason.SCHEMA_CHANGE);
        assertThat(work.get(0).trigger().ddlCommand()).startsWith("ALTER DATABASE staging SET enable_indexscan = off");
    }

    @Test
    void replicaIdentityChangeOfAWatchedTableRerunsSchemaHygiene() {
        // ALTER TABLE ... REPLICA IDENTITY fires the event trigger as an ALTER TABLE of the table.
        List<Work> work = table.route(ddl("ALTER TABLE", "table", "public.pfa_records", "public.pfa_records"));
        assertThat(groups(work)).contains(CheckGroup.HYGIENE_SCHEMA);
    }
}
