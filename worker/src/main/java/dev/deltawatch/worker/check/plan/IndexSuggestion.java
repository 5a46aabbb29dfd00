package dev.deltawatch.worker.check.plan;

import dev.deltawatch.worker.check.SqlIdentifiers;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An index the audit suggests: catalog-checked columns of a catalog-checked relation, in key order.
 *
 * @param relation the table
 * @param columns  column names (unquoted; every one is in {@code relation.columns()})
 */
public record IndexSuggestion(RelationFacts relation, List<String> columns) {

    public IndexSuggestion {
        columns = List.copyOf(columns);
        if (columns.isEmpty() || !relation.columns().containsAll(columns)) {
            throw new IllegalArgumentException("index columns must be columns of " + relation.qualified());
        }
    }

    /** {@code idx_<table>_<col>_<col>}, lowercase, at most 63 bytes (PostgreSQL's identifier limit). */
    public String indexName() {
        String raw = ("idx_" + relation.name() + "_" + String.join("_", columns)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        return raw.length() > 63 ? raw.substring(0, 63) : raw;
    }

    /** The fix as a DBA runs it on a live table: concurrently, so writes continue during the build. */
    public String createConcurrently() {
        return "CREATE INDEX CONCURRENTLY " + SqlIdentifiers.quote(indexName()) + " ON " + table() + " ("
                + columnList() + ");";
    }

    /** A plain CREATE INDEX under another name, for verification inside a transaction (CONCURRENTLY cannot). */
    public String createForVerification(String name) {
        return "CREATE INDEX " + SqlIdentifiers.quote(name) + " ON " + table() + " (" + columnList() + ")";
    }

    private String table() {
        return SqlIdentifiers.qualified(relation.schema(), relation.name());
    }

    private String columnList() {
        return columns.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
    }
}
