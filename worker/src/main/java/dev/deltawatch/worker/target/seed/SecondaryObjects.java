package dev.deltawatch.worker.target.seed;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The secondary indexes and foreign keys of the records table, dropped before a bulk load into an EMPTY table
 * and recreated after it: building an index once over sorted data is several times cheaper than maintaining it
 * row by row, and one validating join replaces a foreign-key trigger per row. Only done on an empty table (nobody
 * can be relying on them yet); the statements to restore are printed before anything is dropped, so a crash in
 * between leaves the operator what to run.
 */
final class SecondaryObjects {
    private final List<String[]> indexes; // {name, CREATE INDEX ...}
    private final List<String[]> foreignKeys; // {name, ALTER TABLE ... ADD CONSTRAINT ...}

    private SecondaryObjects(List<String[]> indexes, List<String[]> foreignKeys) {
        this.indexes = indexes;
        this.foreignKeys = foreignKeys;
    }

    /** Reads the definitions from the catalog (names come from the catalog, quoted by PostgreSQL itself). */
    static SecondaryObjects read(Connection c, String table) throws SQLException {
        List<String[]> idx = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(n.nspname) || '.' || quote_ident(ic.relname), "
                + "pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
                + "JOIN pg_namespace n ON n.oid = ic.relnamespace "
                + "WHERE i.indrelid = ?::regclass AND NOT i.indisprimary AND NOT i.indisunique "
                + "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    idx.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        List<String[]> fks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(conname), 'ALTER TABLE ' "
                + "|| conrelid::regclass || ' ADD CONSTRAINT ' || quote_ident(conname) || ' ' "
                + "|| pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ?::regclass AND contype = 'f'")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fks.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        return new SecondaryObjects(idx, fks);
    }

    int indexCount() {
        return indexes.size();
    }

    void drop(Connection c, String table, PrintStream log) throws SQLException {
        if (log != null && !(indexes.isEmpty() && foreignKeys.isEmpty())) {
            log.println("seed: dropping " + indexes.size() + " secondary index(es) and " + foreignKeys.size()
                    + " foreign key(s) for the load; if interrupted, restore with:");
            indexes.forEach(i -> log.println("  " + i[1] + ";"));
            foreignKeys.forEach(f -> log.println("  " + f[1] + ";"));
        }
        try (Statement s = c.createStatement()) {
            for (String[] f : foreignKeys) {
                s.execute("ALTER TABLE " + table + " DROP CONSTRAINT " + f[0]);
            }
            for (String[] i : indexes) {
                s.execute("DROP INDEX " + i[0]);
            }
        }
    }

    /** The statements that restore everything: indexes first (they can be built in parallel), then keys. */
    List<String> indexStatements() {
        return indexes.stream().map(i -> i[1]).toList();
    }

    List<String> foreignKeyStatements() {
        return foreignKeys.stream().map(f -> f[1]).toList();
    }
}
