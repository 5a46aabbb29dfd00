package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.TargetConfig;
import java.util.List;

/**
 * A {@link TargetConfig} whose identifiers were all found in the catalog, with each name quoted for SQL.
 * Checks build SQL from these fields only, never from the raw configuration.
 */
public record ResolvedTarget(TargetConfig config, String schema, List<Table> tables, String mergeFunction,
                             String writeFunction) {

    /** A watched table: every field is a quoted identifier ({@code qualifiedName} is schema-qualified). */
    public record Table(TargetConfig.WatchedTable config, String qualifiedName, String key, String mirror,
                        String delta, String version, List<Generated> generated) {}

    /** A generated column, quoted, with the document path it must equal. */
    public record Generated(TargetConfig.GeneratedColumn config, String column) {}

    public Table table(String name) {
        return tables.stream().filter(t -> t.config().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("table '" + name + "' is not watched"));
    }

    /** The first watched table; most targets have exactly one. */
    public Table primaryTable() {
        return tables.get(0);
    }
}
