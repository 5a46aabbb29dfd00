package dev.deltawatch.contracts;

/**
 * A DDL command seen on the target.
 *
 * <p>Settings that reach new sessions (database- and role-level {@code ALTER DATABASE|ROLE ... SET}) fire no event
 * trigger; capture watches them and reports a change of a planner setting as object type {@link #PLANNER_SETTING},
 * command tag {@code ALTER DATABASE} or {@code ALTER ROLE}, and as identity the rest of the statement that would
 * make the change ({@code staging SET enable_indexscan = off}, {@code app IN DATABASE staging RESET work_mem}).
 *
 * @param commandTag     e.g. {@code CREATE INDEX}, {@code ALTER TABLE}
 * @param objectType     e.g. {@code index}, {@code function}, {@code table}
 * @param objectIdentity schema-qualified identity as PostgreSQL prints it
 * @param schemaName     schema of the object, when it has one
 * @param tableName      the affected table, where there is one (the table of an index or trigger)
 * @param definitionHash hash of the new definition, absent for drops
 */
public record SchemaChange(String commandTag, String objectType, String objectIdentity, String schemaName,
                           String tableName, String definitionHash) {
    /** Object type of a database- or role-level planner setting that changed. */
    public static final String PLANNER_SETTING = "planner setting";

    public SchemaChange {
        Require.text(commandTag, "schemaChange.commandTag");
        Require.text(objectType, "schemaChange.objectType");
        Require.text(objectIdentity, "schemaChange.objectIdentity");
    }
}
