package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stored generated values that no longer equal their expression. {@code CREATE OR REPLACE FUNCTION} on a
 * function a STORED generated column calls does not recompute stored values, and an UPDATE recomputes them only
 * when a column they depend on is in its SET list, so after a merge-function change the table silently holds
 * old results, and the indexes on them answer with old results.
 *
 * <p>Method: a bounded sample ({@code TABLESAMPLE SYSTEM} sized from {@code reltuples}, then {@code LIMIT}; or
 * the records named by a RECORDS scope), and for each STORED generated column the stored value compared with the
 * column's expression evaluated now. The expression text is {@code pg_get_expr(adbin, adrelid)}: the server's
 * own deparse of the catalog, with identifiers quoted by the server; it is not configuration and carries nothing
 * the table owner did not already make the server run on every write, so it is embedded, while every value
 * (sample size, percentage, seed, keys) is bound. It runs in a read-only transaction under statement_timeout.
 */
public final class StaleGeneratedValuesCheck implements Check {
    public static final String NAME = "hygiene.stale-generated-values";
    public static final String RULE = "stale-generated-values";
    private static final int EXAMPLES = 5;

    private static final String GENERATED = """
            SELECT a.attname AS name, quote_ident(a.attname) AS quoted, pg_get_expr(ad.adbin, ad.adrelid) AS expr,
                   format_type(a.atttypid, a.atttypmod) AS type,
                   (SELECT array_agg(da.attname::text ORDER BY da.attnum)
                      FROM pg_depend d JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid
                     WHERE d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
                       AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0) AS depends_on
              FROM pg_attribute a JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
             WHERE a.attrelid = ? AND a.attgenerated = 's' AND NOT a.attisdropped
             ORDER BY a.attnum""";

    private final HygieneSettings settings;

    public StaleGeneratedValuesCheck(HygieneSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String family() {
        return "hygiene";
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        List<CheckResult> results = new ArrayList<>();
        try (Connection c = context.connect(true)) {
            for (WatchedTables.Watched w : WatchedTables.resolve(c, context.target())) {
                List<GeneratedColumn> columns = new ArrayList<>();
                for (Row r : Row.query(c, GENERATED, w.oid())) {
                    columns.add(GeneratedColumn.of(r));
                }
                if (!columns.isEmpty()) {
                    results.addAll(compare(context, c, w, columns, scope));
                }
            }
            c.commit();
        }
        return results;
    }

    private List<CheckResult> compare(CheckContext context, Connection c, WatchedTables.Watched w,
                                      List<GeneratedColumn> columns, CheckScope scope) throws Exception {
        double reltuples = Row.one(c, "SELECT reltuples::float8 AS n FROM pg_class WHERE oid = ?", w.oid()).dbl("n");
        Sampled sampled = sample(c, w, columns, scope, reltuples);
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            GeneratedColumn col = columns.get(i);
            Subject subject = new Subject("column", w.displayName() + "." + col.name());
            if (sampled.drift()[i] == 0) {
                results.add(CheckResult.pass(RULE, subject));
            } else {
                results.add(CheckResult.fail(StaleValuesFinding.build(this, context, w, col, subject,
                        sampled.rows(), sampled.drift()[i], Math.max(reltuples, sampled.rows()),
                        sampled.examples().get(i), settings.backfillBatchRows())));
            }
        }
        return results;
    }

    /** Rows compared, drifted rows per column, and up to {@link #EXAMPLES} "key: stored -> now" lines per column. */
    record Sampled(long rows, long[] drift, List<List<String>> examples) {}

    private Sampled sample(Connection c, WatchedTables.Watched w, List<GeneratedColumn> columns, CheckScope scope,
                           double reltuples) throws Exception {
        StringBuilder now = new StringBuilder();
        StringBuilder select = new StringBuilder("SELECT s." + w.table().key() + "::text AS key");
        for (int i = 0; i < columns.size(); i++) {
            GeneratedColumn col = columns.get(i);
            now.append(i == 0 ? "" : ", ").append("(").append(col.expression()).append(")::").append(col.type())
                    .append(" AS now_").append(i);
            select.append(", s.").append(col.quoted()).append(" IS DISTINCT FROM n.now_").append(i)
                    .append(" AS drift_").append(i).append(", s.").append(col.quoted()).append("::text AS stored_")
                    .append(i).append(", n.now_").append(i).append("::text AS current_").append(i);
        }
        boolean records = scope.kind() == CheckScope.Kind.RECORDS && !scope.ids().isEmpty();
        String source = records
                ? "(SELECT * FROM " + w.table().qualifiedName() + " WHERE " + w.table().key() + " = ANY (CAST(? AS text[])::"
                        + keyType(c, w) + "[]) LIMIT ?)"
                : "(SELECT * FROM " + w.table().qualifiedName() + " TABLESAMPLE SYSTEM (?) REPEATABLE (?) LIMIT ?)";
        String sql = select + " FROM " + source + " s CROSS JOIN LATERAL (SELECT " + now + ") n";
        long[] drift = new long[columns.size()];
        List<List<String>> examples = new ArrayList<>();
        columns.forEach(x -> examples.add(new ArrayList<>()));
        long rows = 0;
        int limit = scope.kind() == CheckScope.Kind.SAMPLE && scope.sampleSize() > 0 ? scope.sampleSize()
                : records ? scope.ids().size() : settings.staleSampleRows();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            if (records) {
                ps.setArray(p++, c.createArrayOf("text", scope.ids().toArray()));
            } else {
                // SYSTEM samples whole pages, unevenly: aim at three times the rows wanted, LIMIT trims.
                double pct = reltuples <= 0 ? 100 : Math.min(100, 300.0 * limit / reltuples);
                ps.setDouble(p++, pct);
                ps.setDouble(p++, ThreadLocalRandom.current().nextInt(1_000_000));
            }
            ps.setInt(p, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    for (int i = 0; i < columns.size(); i++) {
                        if (rs.getBoolean("drift_" + i)) {
                            drift[i]++;
                            if (examples.get(i).size() < EXAMPLES) {
                                examples.get(i).add(rs.getString("key") + ": stored " + rs.getString("stored_" + i)
                                        + ", expression now gives " + rs.getString("current_" + i));
                            }
                        }
                    }
                }
            }
        }
        return new Sampled(rows, drift, examples);
    }

    /**
     * The key column's type as the catalog prints it ({@code format_type}), so named records are matched on the
     * key itself and its index serves the lookup (a {@code key::text} comparison would scan the table).
     */
    private static String keyType(Connection c, WatchedTables.Watched w) throws java.sql.SQLException {
        return Row.one(c, "SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = ? "
                + "AND attname = ?", w.oid(), w.table().keyColumn()).str("t");
    }

    /** A STORED generated column as the catalog has it: quoted name, deparsed expression, type, the (unquoted) columns it depends on. */
    record GeneratedColumn(String name, String quoted, String expression, String type, List<String> dependsOn) {
        static GeneratedColumn of(Row r) {
            return new GeneratedColumn(r.str("name"), r.str("quoted"), r.str("expr"), r.str("type"),
                    r.strings("depends_on"));
        }
    }
}
