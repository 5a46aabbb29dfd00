package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.merge.MergeVerdicts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stored generated values that are wrong. {@code CREATE OR REPLACE FUNCTION} on a function a STORED generated column
 * calls does not recompute stored values, and an UPDATE recomputes them only when a column they depend on is in its
 * SET list, so after a merge-function change the table may hold results the function no longer gives.
 *
 * <p>Which side is wrong is the oracle's call, not the database function's: a stored value is judged against the
 * contract's merge of the same mirror and delta at the column's declared path ({@link StoredValueTally}). A value
 * that equals the contract's is right even when a redefined, broken function now gives another one; a value the
 * expression would repair (it gives the contract's value now) is stale, and the finding carries the backfill; where
 * the merge function disagrees with the oracle on sampled documents, the finding follows from that merge defect,
 * links its fingerprint and proposes no backfill (it would write through the broken function). A STORED column the
 * target config does not declare has no oracle and is compared with its expression, the backfill held back the
 * same way while the merge function is found wrong.
 *
 * <p>Method: a bounded sample ({@code TABLESAMPLE SYSTEM} sized from {@code reltuples}, then {@code LIMIT}; or
 * the records named by a RECORDS scope), for each STORED generated column the stored value and the column's
 * expression evaluated now, and the sampled records' documents read whole through the document source. The
 * expression text is {@code pg_get_expr(adbin, adrelid)}: the server's own deparse of the catalog, with identifiers
 * quoted by the server; it is not configuration and carries nothing the table owner did not already make the server
 * run on every write, so it is embedded, while every value (sample size, percentage, seed, keys) is bound. It runs
 * in a read-only transaction under statement_timeout.
 */
public final class StaleGeneratedValuesCheck implements Check {
    public static final String NAME = "hygiene.stale-generated-values";
    public static final String RULE = "stale-generated-values";

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
        List<SampledRow> sampled = sample(c, w, columns, scope, reltuples);
        MergeVerdicts verdicts = MergeVerdicts.read(context, c, sampled.stream().map(SampledRow::key).toList());
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            GeneratedColumn col = columns.get(i);
            TargetConfig.GeneratedColumn declared = declared(w, col);
            Subject subject = new Subject("column", w.displayName() + "." + col.name());
            StoredValueTally tally = StoredValueTally.of(sampled, i, declared, verdicts);
            // A fix never writes through a merge function this run found wrong: the backfill recomputes every row
            // whose stored value differs from what the function gives now, the correct ones included.
            boolean throughMerge = declared == null ? context.target().merge().isFunction()
                    : declared.source() == TargetConfig.GeneratedColumn.Source.MERGED;
            double tableRows = Math.max(reltuples, sampled.size());
            if (tally.wrong() == 0) {
                results.add(CheckResult.pass(RULE, subject));
            } else if (throughMerge && verdicts.mergeWrong()) {
                results.add(CheckResult.fail(StaleValuesFinding.followsFromMerge(this, context, w, col, subject,
                        sampled.size(), tally, verdicts, declared != null)));
            } else {
                results.add(CheckResult.fail(StaleValuesFinding.build(this, context, w, col, subject, sampled.size(),
                        tally.stale(), tableRows, tally.examples(), settings.backfillBatchRows())));
            }
        }
        return results;
    }

    /** The target config's declaration of this column (its path and source), or null: no oracle for it. */
    private static TargetConfig.GeneratedColumn declared(WatchedTables.Watched w, GeneratedColumn col) {
        return w.table().generated().stream().map(ResolvedTarget.Generated::config)
                .filter(g -> g.column().equals(col.name())).findFirst().orElse(null);
    }

    /** One sampled row: the document it belongs to, and per STORED column its stored value and the expression's now. */
    record SampledRow(String key, String owner, List<String> stored, List<String> now, boolean[] drift) {}

    private List<SampledRow> sample(Connection c, WatchedTables.Watched w, List<GeneratedColumn> columns,
                                    CheckScope scope, double reltuples) throws Exception {
        StringBuilder now = new StringBuilder();
        StringBuilder select = new StringBuilder("SELECT s." + w.table().key() + "::text AS key, "
                + (w.table().owner() == null ? "NULL" : "s." + w.table().owner()) + "::text AS owner");
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
        List<SampledRow> rows = new ArrayList<>();
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
                    List<String> stored = new ArrayList<>(columns.size());
                    List<String> current = new ArrayList<>(columns.size());
                    boolean[] drift = new boolean[columns.size()];
                    for (int i = 0; i < columns.size(); i++) {
                        stored.add(rs.getString("stored_" + i));
                        current.add(rs.getString("current_" + i));
                        drift[i] = rs.getBoolean("drift_" + i);
                    }
                    rows.add(new SampledRow(rs.getString("key"), rs.getString("owner"), stored, current, drift));
                }
            }
        }
        return rows;
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
