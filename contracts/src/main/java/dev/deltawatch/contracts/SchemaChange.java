package dev.deltawatch.contracts;

/**
 * A DDL command seen on the target.
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
    public SchemaChange {
        Require.text(commandTag, "schemaChange.commandTag");
        Require.text(objectType, "schemaChange.objectType");
        Require.text(objectIdentity, "schemaChange.objectIdentity");
    }
}
