package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.TargetConfig;
import java.util.List;
import java.util.Optional;

/**
 * A {@link TargetConfig} whose identifiers were all found in the catalog, with each name quoted for SQL and each
 * type taken from the catalog. Checks build SQL from these fields only, never from the raw configuration; SQL that
 * reads documents comes from {@link #documents()}, the one place that knows the layout.
 *
 * @param tables        the tables of the layout, mirror first
 * @param merge         how the database merges (a function with its argument order, or {@code ||})
 * @param writeFunction the write function, schema-qualified and quoted; null for a statement or no write path
 * @param inputDomain   what the schema lets mirror and delta hold
 */
public record ResolvedTarget(TargetConfig config, String schema, List<Table> tables, MergeCall merge,
                             String writeFunction, InputDomain inputDomain) {

    /** Which part of the layout a table holds ({@code QUERIED}: none, a registered query reads it). */
    public enum Role { SAME_ROW, MIRROR, DELTA, QUERIED }

    /**
     * A table of the layout. Column fields are quoted identifiers, null where that part does not live on this table.
     *
     * @param name       the table's name, unquoted
     * @param keyColumn  its key column, unquoted (the mirror's key; the delta table's reference to it)
     * @param key        the same, quoted
     * @param keyType    the key's type as {@code format_type} spells it ({@code bigint}, {@code text}, {@code uuid})
     * @param generated  the generated columns that live on this table
     */
    public record Table(String name, Role role, String qualifiedName, String keyColumn, String key, String keyType,
                        String mirror, String delta, String deltaColumn, String owner, String version,
                        List<Generated> generated) {}

    /** A generated column, quoted, with the document path it must equal. */
    public record Generated(TargetConfig.GeneratedColumn config, String column) {}

    /**
     * What the schema allows in each jsonb column, from NOT NULL and {@code CHECK (jsonb_typeof(col) = 'object')}
     * constraints: merge cases outside it cannot occur and are skipped, not reported.
     */
    public record InputDomain(boolean mirrorNotNull, boolean mirrorObjectOnly, boolean deltaNotNull,
                              boolean deltaObjectOnly) {
        public static InputDomain unconstrained() {
            return new InputDomain(false, false, false, false);
        }
    }

    public Table table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("table '" + name + "' is not watched"));
    }

    /** The mirror's table (in the same-row layout, the one table). */
    public Table primaryTable() {
        return tables.get(0);
    }

    /** The delta's own table, when the layout has one. */
    public Optional<Table> deltaTable() {
        return tables.stream().filter(t -> t.role() == Role.DELTA).findFirst();
    }

    /** The SQL that reads documents, for this layout. */
    public Documents documents() {
        return new Documents(this);
    }
}
