package dev.deltawatch.worker.route;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.SchemaChange;
import dev.deltawatch.contracts.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The routes {@link Dependents} add to {@link RouteTable}'s: a change to a function the merge or write path reaches
 * re-runs that path's checks, and DDL on a table a registered query reads re-audits those queries. The trigger
 * names the object that changed and what depends on it. Pure.
 */
final class DependencyRoutes {
    private static final List<CheckGroup> MERGE_GROUPS =
            List.of(CheckGroup.MERGE_BATTERY, CheckGroup.MERGE_RECORDS, CheckGroup.HYGIENE_SCHEMA,
                    CheckGroup.HYGIENE_RUNTIME);
    private static final List<CheckGroup> WRITE_GROUPS =
            List.of(CheckGroup.LOCK_PROBES, CheckGroup.EDGE_WRITE_PATH, CheckGroup.HYGIENE_SCHEMA);

    private DependencyRoutes() {}

    /** {@code routed} plus the work the dependents add for groups {@code routed} does not already cover. */
    static List<Work> addTo(List<Work> routed, Dependents deps, ChangeEvent event) {
        if (event.kind() != ChangeEvent.Kind.SCHEMA_CHANGE || deps.equals(Dependents.NONE)) {
            return routed;
        }
        Set<CheckGroup> covered = EnumSet.noneOf(CheckGroup.class);
        routed.forEach(w -> covered.add(w.group()));
        List<Work> out = new ArrayList<>(routed);
        for (Work w : route(deps, event)) {
            if (covered.add(w.group())) {
                out.add(w);
            }
        }
        return out;
    }

    static List<Work> route(Dependents deps, ChangeEvent event) {
        SchemaChange ddl = event.schemaChange();
        String type = ddl.objectType().toLowerCase(Locale.ROOT);
        Instant committed = event.source().commitTime();
        List<Work> out = new ArrayList<>();
        if (type.contains("function") || type.contains("procedure")) {
            for (Dependents.Use use : deps.functions().getOrDefault(qualifiedName(ddl.objectIdentity()), List.of())) {
                Trigger trigger = trigger(event, use.via() + " depends on it");
                for (CheckGroup g : use.role() == Dependents.Role.MERGE ? MERGE_GROUPS : WRITE_GROUPS) {
                    out.add(new Work(g, CheckScope.all(), trigger, List.of(), committed));
                }
            }
        } else if (type.equals("index") || type.startsWith("table")) {
            List<String> queries = deps.queriesByTable().getOrDefault(unquoted(event.table()), List.of());
            if (!queries.isEmpty()) {
                out.add(new Work(CheckGroup.PLAN_AUDIT, CheckScope.objects(queries),
                        trigger(event, "registered queries " + String.join(", ", queries) + " read it"),
                        List.of(), committed));
            }
        }
        return out;
    }

    private static Trigger trigger(ChangeEvent event, String why) {
        SchemaChange ddl = event.schemaChange();
        return new Trigger(Trigger.Reason.SCHEMA_CHANGE, event.eventId(), event.source().lsn(), event.source().txId(),
                ddl.commandTag() + " " + ddl.objectIdentity() + " (" + why + ")");
    }

    /** {@code schema.name} of a function identity such as {@code public.norm(pg_catalog.text)}, unquoted. */
    static String qualifiedName(String identity) {
        int paren = identity.indexOf('(');
        return unquoted(paren >= 0 ? identity.substring(0, paren) : identity).trim();
    }

    private static String unquoted(String name) {
        return name == null ? "" : name.replace("\"", "");
    }
}
