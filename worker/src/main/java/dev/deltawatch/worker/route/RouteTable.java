package dev.deltawatch.worker.route;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.SchemaChange;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * ARCHITECTURE.md's "What re-runs what", as code: which check groups a change can break.
 * <ul>
 *   <li>a row of any table of the layout inserted or updated (a delta-table row also deleted): merge checks on that
 *       record, and the passive version check for rows of the table holding the version;</li>
 *   <li>the merge function (or a generated expression) redefined: the merge battery, every record's merge checks
 *       and schema hygiene;</li>
 *   <li>the write function, a trigger, or the version column changed: lock probes and write-path edge cases;</li>
 *   <li>an index created or dropped, or a watched table altered: plan audits of that table and schema hygiene
 *       (which includes the replica identity capture relies on);</li>
 *   <li>a planner setting of the database or of the checks' role changed ({@code ALTER DATABASE|ROLE ... SET}):
 *       plan audits of everything, the trigger naming the setting and its scope.</li>
 * </ul>
 * Pure: no SQL, no Kafka.
 */
public final class RouteTable {
    private final TargetConfig target;
    private final Set<String> watchedTables;
    private volatile Supplier<Dependents> dependents = () -> Dependents.NONE;

    public RouteTable(TargetConfig target) {
        this.target = target;
        this.watchedTables = target.tableNames().stream()
                .flatMap(t -> List.of(t, target.schema() + "." + t).stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Adds what the catalog shows the checks depend on (see {@link Dependents}); {@code source} is asked on every
     * change, so the runtime can swap in a fresh resolution after schema changes. Thread-safe.
     */
    public RouteTable withDependents(Supplier<Dependents> source) {
        this.dependents = source;
        return this;
    }

    /**
     * Whether a change event names a table this target watches or a registered query reads (schema changes
     * without a table always apply).
     */
    public boolean isWatched(ChangeEvent event) {
        if (event.kind() == ChangeEvent.Kind.SCHEMA_CHANGE && event.table() == null) {
            return true;
        }
        return watchesTable(event) || (event.kind() == ChangeEvent.Kind.SCHEMA_CHANGE
                && dependents.get().readTables().contains(event.table().replace("\"", "")));
    }

    /**
     * Whether a change concerns deltawatch's own objects (the capture bookkeeping and plan baselines in schema
     * {@code deltawatch}, the isolation matrix's tables in {@code deltawatch_probe}): never a defect of the target,
     * so it is dropped without a word. Decided here, not in capture, because this also covers audit rows written
     * by event triggers installed by older versions, the polling mode, and events already on the topic.
     */
    public boolean isOwnObject(ChangeEvent event) {
        if (event.kind() != ChangeEvent.Kind.SCHEMA_CHANGE) {
            return false;
        }
        String schema = event.schemaChange().schemaName();
        String table = event.table();
        String tableSchema = table == null || table.indexOf('.') < 0 ? null
                : table.substring(0, table.indexOf('.')).replace("\"", "");
        return (schema != null && OWN_SCHEMAS.contains(schema))
                || (tableSchema != null && OWN_SCHEMAS.contains(tableSchema));
    }

    private static final Set<String> OWN_SCHEMAS = Set.of("deltawatch", "deltawatch_probe");

    public List<Work> route(ChangeEvent event) {
        if (event.kind() == ChangeEvent.Kind.DELTA_ROW) {
            return deltaRow(event);
        }
        return DependencyRoutes.addTo(schemaChange(event), dependents.get(), event);
    }

    private boolean watchesTable(ChangeEvent event) {
        return event.table() != null && watchedTables.contains(event.table());
    }

    /**
     * A row of any table of the layout. Its record key names the record on every table (the delta table's rows carry
     * their reference to the mirror's key), and the merge checks verify every document of a listed record: a mirror
     * row change is a change of all of them. A deleted delta row is re-checked too (its document merges to the mirror
     * again); a deleted mirror row leaves no document to check. Only rows of the table holding the version are
     * judged by the passive version check.
     */
    private List<Work> deltaRow(ChangeEvent event) {
        boolean deltaTable = isTable(event.table(), target.documents().delta().table());
        if (!watchesTable(event) || event.operation() == ChangeEvent.Operation.DELETE && !deltaTable) {
            return List.of();
        }
        Trigger trigger = new Trigger(Trigger.Reason.DELTA_CHANGE, event.eventId(), event.source().lsn(),
                event.source().txId(), null);
        CheckScope records = CheckScope.records(List.of(event.recordKey()));
        Instant committed = event.source().commitTime();
        Work merge = new Work(CheckGroup.MERGE_RECORDS, records, trigger, List.of(), committed);
        boolean holdsVersion = target.documents().sameRow()
                || deltaTable == (target.documents().version().on() == TargetConfig.Version.Side.DELTA);
        if (event.operation() == ChangeEvent.Operation.DELETE || !holdsVersion) {
            return List.of(merge);
        }
        return List.of(merge, new Work(CheckGroup.VERSION_PASSIVE, records, trigger, List.of(event), committed));
    }

    /** Whether {@code eventTable} ({@code schema.table} or bare) is the layout's table {@code name} (null: none). */
    private boolean isTable(String eventTable, String name) {
        return name != null && eventTable != null
                && (eventTable.equals(name) || eventTable.equals(target.schema() + "." + name));
    }

    private List<Work> schemaChange(ChangeEvent event) {
        SchemaChange ddl = event.schemaChange();
        Trigger trigger = new Trigger(Trigger.Reason.SCHEMA_CHANGE, event.eventId(), event.source().lsn(),
                event.source().txId(), ddl.commandTag() + " " + ddl.objectIdentity());
        String type = ddl.objectType().toLowerCase(Locale.ROOT);
        String objectName = unqualified(ddl.objectIdentity());
        Instant committed = event.source().commitTime();
        List<Work> out = new ArrayList<>();
        if (ddl.objectType().equals(SchemaChange.PLANNER_SETTING)) {
            // Every plan may change: a setting reaches all queries of new sessions, whatever tables they read.
            Trigger setting = new Trigger(Trigger.Reason.SCHEMA_CHANGE, event.eventId(), event.source().lsn(),
                    event.source().txId(), ddl.commandTag() + " " + ddl.objectIdentity()
                    + " (a planner setting of new sessions: every plan is audited again)");
            out.add(new Work(CheckGroup.PLAN_AUDIT, CheckScope.all(), setting, List.of(), committed));
            return out;
        }
        if (type.contains("function") || type.contains("procedure")) {
            if (objectName.equals(target.merge().function())) { // null for ||: no function to redefine
                out.add(new Work(CheckGroup.MERGE_BATTERY, CheckScope.all(), trigger, List.of(), committed));
                out.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), trigger, List.of(), committed));
                out.add(new Work(CheckGroup.HYGIENE_SCHEMA, CheckScope.all(), trigger, List.of(), committed));
                out.add(new Work(CheckGroup.HYGIENE_RUNTIME, CheckScope.all(), trigger, List.of(), committed));
            }
            if (target.write() != null && objectName.equals(target.write().function())) {
                out.add(new Work(CheckGroup.LOCK_PROBES, CheckScope.all(), trigger, List.of(), committed));
                out.add(new Work(CheckGroup.EDGE_WRITE_PATH, CheckScope.all(), trigger, List.of(), committed));
                out.add(new Work(CheckGroup.HYGIENE_SCHEMA, CheckScope.all(), trigger, List.of(), committed));
            }
            return out;
        }
        if (!watchesTable(event)) {
            return out;
        }
        String table = unqualified(event.table());
        CheckScope tableScope = CheckScope.objects(List.of(table));
        if (type.contains("trigger")) {
            out.add(new Work(CheckGroup.LOCK_PROBES, CheckScope.all(), trigger, List.of(), committed));
            out.add(new Work(CheckGroup.EDGE_WRITE_PATH, CheckScope.all(), trigger, List.of(), committed));
            out.add(new Work(CheckGroup.HYGIENE_SCHEMA, tableScope, trigger, List.of(), committed));
        } else if (type.contains("index")) {
            out.add(new Work(CheckGroup.PLAN_AUDIT, tableScope, trigger, List.of(), committed));
            out.add(new Work(CheckGroup.HYGIENE_SCHEMA, tableScope, trigger, List.of(), committed));
        } else if (type.contains("table") || type.contains("column")) {
            // ALTER TABLE can change a generated expression, the version column, or the columns queries read.
            out.add(new Work(CheckGroup.PLAN_AUDIT, tableScope, trigger, List.of(), committed));
            out.add(new Work(CheckGroup.MERGE_BATTERY, CheckScope.all(), trigger, List.of(), committed));
            out.add(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), trigger, List.of(), committed));
            out.add(new Work(CheckGroup.LOCK_PROBES, CheckScope.all(), trigger, List.of(), committed));
            out.add(new Work(CheckGroup.HYGIENE_SCHEMA, tableScope, trigger, List.of(), committed));
        }
        return out;
    }

    private static String unqualified(String identity) {
        if (identity == null) {
            return "";
        }
        String name = identity;
        int paren = name.indexOf('(');
        if (paren >= 0) {
            name = name.substring(0, paren);
        }
        int dot = name.lastIndexOf('.');
        name = dot >= 0 ? name.substring(dot + 1) : name;
        return name.replace("\"", "").trim();
    }
}
