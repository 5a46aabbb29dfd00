package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.SchemaChange;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which hygiene checks a change should re-run, for the router: by DDL object type (as the event trigger reports
 * it in {@code pg_event_trigger_ddl_commands().object_type} / {@code pg_event_trigger_dropped_objects()}) and by
 * command tag, plus the checks worth running on the periodic safety-net schedule (those that read statistics or
 * sample data, which drift without any DDL).
 */
public final class HygieneTriggers {
    private static final List<String> ALL = List.of(TableFlawsCheck.NAME, IndexFlawsCheck.NAME,
            FunctionHygieneCheck.NAME, ReplicaIdentityCheck.NAME, GeneratedPredicateIndexCheck.NAME,
            StaleGeneratedValuesCheck.NAME, UnboundedResultsCheck.NAME, InactiveReplicationSlotCheck.NAME,
            ConnectionPoolingCheck.NAME);

    /** DDL object type -> checks. */
    public static final Map<String, List<String>> BY_OBJECT_TYPE = Map.of(
            "table", List.of(TableFlawsCheck.NAME, IndexFlawsCheck.NAME, FunctionHygieneCheck.NAME,
                    GeneratedPredicateIndexCheck.NAME, StaleGeneratedValuesCheck.NAME, ReplicaIdentityCheck.NAME),
            "table column", List.of(TableFlawsCheck.NAME, FunctionHygieneCheck.NAME,
                    GeneratedPredicateIndexCheck.NAME, StaleGeneratedValuesCheck.NAME),
            "table constraint", List.of(TableFlawsCheck.NAME, IndexFlawsCheck.NAME, FunctionHygieneCheck.NAME),
            "index", List.of(IndexFlawsCheck.NAME, GeneratedPredicateIndexCheck.NAME, FunctionHygieneCheck.NAME),
            "function", List.of(FunctionHygieneCheck.NAME, StaleGeneratedValuesCheck.NAME),
            "procedure", List.of(FunctionHygieneCheck.NAME),
            "trigger", List.of(FunctionHygieneCheck.NAME),
            "extension", List.of(UnboundedResultsCheck.NAME));

    /** Command tags whose object type alone does not say enough (e.g. REINDEX reports the table). */
    public static final Map<String, List<String>> BY_COMMAND_TAG = Map.of(
            "REINDEX", List.of(IndexFlawsCheck.NAME),
            "CREATE EXTENSION", List.of(UnboundedResultsCheck.NAME),
            "ALTER SYSTEM", List.of(ConnectionPoolingCheck.NAME));

    /** Checks for the periodic schedule: statistics, sessions and stored data change without DDL. */
    public static final List<String> PERIODIC = List.of(TableFlawsCheck.NAME, IndexFlawsCheck.NAME,
            StaleGeneratedValuesCheck.NAME, UnboundedResultsCheck.NAME, InactiveReplicationSlotCheck.NAME,
            ConnectionPoolingCheck.NAME);

    private HygieneTriggers() {}

    /** Every hygiene check name, for {@code check --families hygiene}. */
    public static List<String> all() {
        return ALL;
    }

    /** The checks a schema change should re-run (empty when none). */
    public static Set<String> forSchemaChange(SchemaChange change) {
        Set<String> out = new LinkedHashSet<>();
        out.addAll(BY_OBJECT_TYPE.getOrDefault(change.objectType().toLowerCase(Locale.ROOT), List.of()));
        out.addAll(BY_COMMAND_TAG.getOrDefault(change.commandTag().toUpperCase(Locale.ROOT), List.of()));
        return out;
    }
}
