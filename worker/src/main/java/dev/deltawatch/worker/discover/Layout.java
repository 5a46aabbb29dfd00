package dev.deltawatch.worker.discover;

/**
 * Where a discovered system's documents live: the mirror's table, key and jsonb column, and the delta's column on
 * the same row ({@code deltaTable} null) or in a table of its own referencing the mirror's key, optionally per owner.
 */
record Layout(String mirrorTable, String key, String keyType, String mirrorColumn, String deltaTable, String record,
              String owner, String deltaColumn) {

    boolean sameRow() {
        return deltaTable == null;
    }

    /** The table the delta column is on. */
    String deltaHome() {
        return sameRow() ? mirrorTable : deltaTable;
    }

    String describe() {
        return sameRow()
                ? mirrorTable + "." + mirrorColumn + " + " + mirrorTable + "." + deltaColumn + " (one row)"
                : mirrorTable + "." + mirrorColumn + " + " + deltaTable + "." + deltaColumn + " (delta table by "
                + record + (owner == null ? "" : ", per " + owner) + ")";
    }
}
