package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.worker.check.Documents;
import dev.deltawatch.worker.check.ResolvedTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads records with the database's merged value in set-based SQL: one round trip per batch, never per record.
 * Each row carries the key, mirror, delta, {@code merge(mirror, delta)} and every generated column, all as text
 * (jsonb's canonical output), so the oracle sees exactly what the database stored.
 *
 * <p>Keys are bound as a {@code text[]} and cast to the key column's own type (looked up in the catalog), so the
 * primary key index serves {@code = ANY(...)} and the keyset pagination of {@code ALL}.
 */
public final class MergeRecordReader {
    public static final int DEFAULT_BATCH_SIZE = 2000;

    /**
     * One document as the database sees it; text values are null for SQL NULL. {@code hasDelta} is false for a
     * record that has no row in the delta table: its merged document is the mirror by definition.
     *
     * <p>In a compact row ({@code keys != null}) {@code mirror} and {@code merged} are null and only the values at
     * {@code keys} (the delta's top-level keys plus the generated columns' first path keys) travel, as
     * {@code mirrorAtKeys} and {@code mergedAtKeys} in the order of {@code keys} (null = key absent);
     * {@code restEqual} says whether the database found merged and mirror equal outside {@code keys}.
     */
    public record MergeRow(String key, String owner, boolean hasDelta, String mirror, String delta, String merged,
                           List<String> generated, String[] keys, String[] mirrorAtKeys, String[] mergedAtKeys,
                           boolean restEqual) {
        public MergeRow(String key, String mirror, String delta, String merged, List<String> generated) {
            this(key, null, true, mirror, delta, merged, generated, null, null, null, false);
        }

        /** How findings name this document. */
        public String label() {
            return Documents.label(key, owner);
        }

        public boolean compact() {
            return keys != null;
        }
    }

    private final ResolvedTarget target;
    private final Documents documents;
    private final int batchSize;
    private final boolean compact;
    private final String[] extraKeys;

    /** A reader shipping whole documents (for evidence and small scopes). */
    public MergeRecordReader(ResolvedTarget target, int batchSize) {
        this(target, batchSize, false);
    }

    /**
     * With {@code compact}, documents are not shipped whole: for keys the delta does not touch the contract's
     * merged value is the mirror's by definition, so PostgreSQL compares that part itself ({@code merged - K =
     * mirror - K}, jsonb equality) and only the values at the delta's keys travel to the oracle. This avoids
     * rendering two ~2 KB documents as text per record, which costs PostgreSQL more than the merge itself.
     * Records whose mirror, delta or merged value is not an object are always shipped whole.
     */
    public MergeRecordReader(ResolvedTarget target, int batchSize, boolean compact) {
        this(target, batchSize, compact, false);
    }

    /**
     * @param generatedKeys also ship the values at the generated columns' first path keys (the drift check needs
     *                      them; the differential check does not, and without them a record with no delta costs
     *                      PostgreSQL a single jsonb comparison)
     */
    public MergeRecordReader(ResolvedTarget target, int batchSize, boolean compact, boolean generatedKeys) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        this.target = target;
        this.documents = target.documents();
        this.batchSize = batchSize;
        this.compact = compact;
        this.extraKeys = !generatedKeys ? new String[0]
                : target.config().documents().generatedColumns().stream().map(g -> g.path().get(0)).distinct()
                .toArray(String[]::new);
    }

    /** Reads every record of the scope, handing each batch to {@code sink} as soon as it arrived. */
    public void read(Connection c, CheckScope scope, Consumer<List<MergeRow>> sink) throws SQLException {
        String keyType = keyType(c);
        switch (scope.kind()) {
            case RECORDS -> {
                for (int from = 0; from < scope.ids().size(); from += batchSize) {
                    List<String> ids = scope.ids().subList(from, Math.min(scope.ids().size(), from + batchSize));
                    sink.accept(byKeys(c, keyType, ids, compact));
                }
            }
            case SAMPLE -> {
                for (List<String> ids : partition(sampleKeys(c, scope.sampleSize()))) {
                    sink.accept(byKeys(c, keyType, ids, compact));
                }
            }
            case ALL -> readAll(c, keyType, sink);
            default -> { }
        }
    }

    private void readAll(Connection c, String keyType, Consumer<List<MergeRow>> sink) throws SQLException {
        String first = select(compact, "", true);
        String next = select(compact, "WHERE " + documents.key() + " > CAST(? AS " + keyType + ")", true);
        try (PreparedStatement ps1 = c.prepareStatement(first); PreparedStatement psN = c.prepareStatement(next)) {
            String after = null;
            while (true) {
                List<MergeRow> rows;
                if (after == null) {
                    int i = bindExtraKeys(c, ps1, compact);
                    ps1.setInt(i, batchSize);
                    rows = rows(ps1, compact);
                } else {
                    int i = bindExtraKeys(c, psN, compact);
                    psN.setString(i, after);
                    psN.setInt(i + 1, batchSize);
                    rows = rows(psN, compact);
                }
                if (rows.isEmpty()) {
                    return;
                }
                after = rows.get(rows.size() - 1).key();
                sink.accept(rows);
                if (records(rows) < batchSize) {
                    return;
                }
            }
        }
    }

    /** How many records a page of documents holds (rows come in key order; a record may have several documents). */
    static int records(List<MergeRow> rows) {
        int n = 0;
        String previous = null;
        for (MergeRow r : rows) {
            if (!r.key().equals(previous)) {
                n++;
                previous = r.key();
            }
        }
        return n;
    }

    /**
     * The smallest and largest key, for splitting a full scan into ranges; null when the key column is not an
     * integer type or the table is empty.
     */
    public long[] integerKeyRange(Connection c, String keyType) throws SQLException {
        if (!List.of("bigint", "integer", "smallint").contains(keyType)) {
            return null;
        }
        ResolvedTarget.Table table = target.primaryTable();
        try (PreparedStatement ps = c.prepareStatement("SELECT min(t." + table.key() + "), max(t." + table.key()
                + ") FROM " + table.qualifiedName() + " t"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            long min = rs.getLong(1);
            return rs.wasNull() ? null : new long[] {min, rs.getLong(2)};
        }
    }

    /** Records with {@code after < key <= upTo}, in key order, batch by batch (keyset pagination on the key). */
    public void readRange(Connection c, String keyType, long after, long upTo, Consumer<List<MergeRow>> sink)
            throws SQLException {
        String sql = select(compact, "WHERE " + documents.key() + " > CAST(? AS " + keyType + ") AND "
                + documents.key() + " <= CAST(? AS " + keyType + ")", true);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            long from = after;
            while (true) {
                int i = bindExtraKeys(c, ps, compact);
                ps.setLong(i, from);
                ps.setLong(i + 1, upTo);
                ps.setInt(i + 2, batchSize);
                List<MergeRow> rows = rows(ps, compact);
                if (rows.isEmpty()) {
                    return;
                }
                from = Long.parseLong(rows.get(rows.size() - 1).key());
                sink.accept(rows);
                if (records(rows) < batchSize) {
                    return;
                }
            }
        }
    }

    /** The records with these keys (missing keys are simply absent from the result). */
    public List<MergeRow> byKeys(Connection c, String keyType, List<String> keys, boolean compactRows)
            throws SQLException {
        String sql = select(compactRows, "WHERE " + documents.key() + " = ANY(CAST(? AS text[])::" + keyType + "[])",
                false);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindExtraKeys(c, ps, compactRows);
            ps.setArray(i, c.createArrayOf("text", keys.toArray()));
            return rows(ps, compactRows);
        }
    }

    private int bindExtraKeys(Connection c, PreparedStatement ps, boolean compactRows) throws SQLException {
        if (!compactRows) {
            return 1;
        }
        ps.setArray(1, c.createArrayOf("text", extraKeys));
        ps.setArray(2, c.createArrayOf("text", extraKeys));
        return 3;
    }

    /** SQL that reproduces the database's side for one document (key and owner inlined as literals for pasting). */
    public String reproductionSql(MergeRow row) {
        return documents.reproductionSql(row.key(), row.owner());
    }

    static String literal(String value) {
        return Documents.literal(value);
    }

    /** The record query over the rows {@code filter} admits; a {@code page} is ordered by key and ends in LIMIT ?. */
    private String select(boolean compactRows, String filter, boolean page) {
        return compactRows ? CompactSelect.sql(documents, filter, page) : fullSelect(filter, page);
    }

    private String fullSelect(String filter, boolean page) {
        StringBuilder sql = new StringBuilder("SELECT a.rec_key::text, a.m::text, a.d::text, ")
                .append(documents.merged("a")).append("::text, a.owner, a.has_delta");
        for (int i = 0; i < documents.generatedCount(); i++) {
            sql.append(", a.gen_").append(i).append("::text");
        }
        return sql.append(" FROM (").append(documents.rows(filter, page)).append(") a")
                .append(page ? " ORDER BY " + documents.order("a") : "").toString();
    }

    private List<MergeRow> rows(PreparedStatement ps, boolean compactRows) throws SQLException {
        List<MergeRow> out = new ArrayList<>();
        int generated = documents.generatedCount();
        int firstGenerated = compactRows ? 10 : 7;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> gen = new ArrayList<>(generated);
                for (int i = 0; i < generated; i++) {
                    gen.add(rs.getString(firstGenerated + i));
                }
                if (compactRows && rs.getArray(5) != null) {
                    String[] keys = (String[]) rs.getArray(5).getArray();
                    String[] mirrorAtKeys = new String[keys.length];
                    String[] mergedAtKeys = new String[keys.length];
                    java.sql.Array pairs = rs.getArray(6);
                    if (pairs != null) {
                        String[][] values = (String[][]) pairs.getArray();
                        for (int k = 0; k < keys.length; k++) {
                            mirrorAtKeys[k] = values[k][0];
                            mergedAtKeys[k] = values[k][1];
                        }
                    }
                    out.add(new MergeRow(rs.getString(1), rs.getString(8), rs.getBoolean(9), null, rs.getString(3), null,
                            gen, keys, mirrorAtKeys, mergedAtKeys, rs.getBoolean(7)));
                } else if (compactRows) {
                    out.add(new MergeRow(rs.getString(1), rs.getString(8), rs.getBoolean(9), rs.getString(2),
                            rs.getString(3), rs.getString(4), gen, null, null, null, false));
                } else {
                    out.add(new MergeRow(rs.getString(1), rs.getString(5), rs.getBoolean(6), rs.getString(2),
                            rs.getString(3), rs.getString(4), gen, null, null, null, false));
                }
            }
        }
        return out;
    }

    /**
     * A random sample without a full sort: Bernoulli sampling sized from the planner's row estimate, topped up
     * from the start of the table when the estimate was too low.
     */
    private List<String> sampleKeys(Connection c, int size) throws SQLException {
        double rows = estimatedRows(c);
        double percent = rows <= 0 ? 100 : Math.min(100, 100.0 * size * 1.5 / rows);
        List<String> keys = new ArrayList<>();
        ResolvedTarget.Table table = target.primaryTable();
        String sql = "SELECT t." + table.key() + "::text FROM " + table.qualifiedName()
                + " t TABLESAMPLE BERNOULLI (?) LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setDouble(1, percent);
            ps.setInt(2, size);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    /** The planner's estimate of the records in the mirror's table (0 before the first ANALYZE). */
    double estimatedRows(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = CAST(? AS regclass)")) {
            ps.setString(1, target.primaryTable().qualifiedName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getDouble(1) : 0;
            }
        }
    }

    /** The mirror key's type as {@code format_type} spells it, e.g. {@code bigint}; resolved from the catalog at load. */
    public String keyType(Connection c) {
        return documents.keyType();
    }

    private List<List<String>> partition(List<String> keys) {
        List<List<String>> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += batchSize) {
            out.add(keys.subList(from, Math.min(keys.size(), from + batchSize)));
        }
        return out;
    }
}
