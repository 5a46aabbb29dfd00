package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.merge.MergeRecordReader.MergeRow;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code merge.generated-column}: every generated column of a record must equal the oracle's merged value at
 * its declared path (cast as its SQL type). Drift is HIGH: the indexes that serve lookups return the wrong rows.
 * It catches a column expression that ignores the delta, and stored values left stale after the merge function
 * was redefined (PostgreSQL does not recompute STORED columns on {@code CREATE OR REPLACE FUNCTION}).
 */
public final class GeneratedColumnDriftCheck implements Check {
    public static final String RULE = "generated-column-drift";

    private final int batchSize;

    public GeneratedColumnDriftCheck() {
        this(MergeRecordReader.DEFAULT_BATCH_SIZE);
    }

    public GeneratedColumnDriftCheck(int batchSize) {
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return "merge.generated-column";
    }

    @Override
    public String family() {
        return "merge";
    }

    @Override
    public boolean appliesTo(CheckScope scope) {
        return scope.kind() != CheckScope.Kind.OBJECTS;
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        MergeVerifier verifier = new MergeVerifier(new MergeOracle(context.target().config().merge().contract()));
        List<CheckResult> results = new ArrayList<>();
        for (ResolvedTarget.Table table : context.target().tables()) {
            if (table.generated().isEmpty()) {
                continue;
            }
            // Compact rows suffice: the generated columns' first path keys are always among the values shipped.
            MergeRecordReader reader = new MergeRecordReader(context.target(), table, batchSize, true, true);
            results.addAll(RecordScan.run(context, reader, scope, DifferentialMergeCheck.DEFAULT_PARTITIONS,
                    batch -> judge(context, table, verifier, batch)));
        }
        return results;
    }

    private List<CheckResult> judge(CheckContext context, ResolvedTarget.Table table, MergeVerifier verifier,
                                    List<MergeRow> batch) {
        List<CheckResult> out = new ArrayList<>();
        List<dev.deltawatch.contracts.TargetConfig.GeneratedColumn> columns =
                table.generated().stream().map(ResolvedTarget.Generated::config).toList();
        for (MergeRow row : batch) {
            MergeVerifier.Outcome o = verifier.verify(row);
            List<MergeVerifier.Drift> drifts = verifier.drifts(row, o.expected(), columns);
            for (ResolvedTarget.Generated g : table.generated()) {
                Subject subject = subject(context, table, row.key(), g);
                MergeVerifier.Drift drift = drifts.stream().filter(d -> d.column() == g.config()).findFirst()
                        .orElse(null);
                out.add(drift == null ? CheckResult.pass(RULE, subject)
                        : CheckResult.fail(finding(context, table, g, subject, o, drift)));
            }
        }
        return out;
    }

    private dev.deltawatch.contracts.Finding finding(CheckContext context, ResolvedTarget.Table table,
                                                     ResolvedTarget.Generated g, Subject subject,
                                                     MergeVerifier.Outcome o, MergeVerifier.Drift drift) {
        String path = "$";
        for (String k : g.config().path()) {
            path = JsonDiff.child(path, k);
        }
        String databaseAtPath = MergeVerifier.valueAt(o.actual(), g.config().path());
        boolean mirrorOnly = java.util.Objects.equals(drift.actual(), MergeVerifier.valueAt(o.mirror(), g.config().path()))
                && o.delta() != null;
        String cause = mirrorOnly
                ? "the column holds the mirror's value at " + path + ": its expression ignores the delta; define it "
                + "from " + context.target().mergeFunction() + "(" + table.mirror() + ", " + table.delta() + ")"
                : MergeVerifier.sameValue(g.config().sqlType(), drift.expected(), databaseAtPath)
                ? "the merge function agrees with the contract, so the stored value is stale or the expression is "
                + "wrong: recompute it (UPDATE ... SET " + table.delta() + " = " + table.delta() + ") and compare "
                + "the column expression with the path " + path
                : "the merge function itself returns " + databaseAtPath + " at " + path
                + ": fix the function (see merge.differential), then recompute the stored values";
        return context.finding(this, RULE, Severity.HIGH, subject)
                .title("Generated column " + g.config().column() + " differs from the merged value at " + path)
                .problem("Record " + row(subject) + ": " + g.config().column() + " is " + quoteOrNull(drift.actual())
                        + " but the contract's merged document has " + quoteOrNull(drift.expected()) + " at " + path
                        + "; lookups through its index return wrong rows. " + cause)
                .evidence(MergeFindings.PATHS_LABEL, "text", path + ": expected " + quoteOrNull(drift.expected())
                        + ", actual " + quoteOrNull(drift.actual()))
                .evidence(o.row().compact() ? "mirror (at the delta's and the column's keys)" : "mirror", "json",
                        JsonDiff.render(o.mirror()))
                .evidence("delta", "json", JsonDiff.render(o.delta()))
                .reproductionSql("SELECT " + table.key() + ", " + g.column() + ", " + context.target().mergeFunction()
                        + "(" + table.mirror() + ", " + table.delta() + ") AS merged FROM " + table.qualifiedName()
                        + " WHERE " + table.key() + "::text = " + MergeRecordReader.literal(drift.row().key()) + ";")
                .fix(cause)
                .build();
    }

    private static String row(Subject s) {
        return s.name().substring(0, s.name().lastIndexOf('#'));
    }

    private static String quoteOrNull(String v) {
        return v == null ? "NULL" : "'" + v + "'";
    }

    static Subject subject(CheckContext context, ResolvedTarget.Table table, String key, ResolvedTarget.Generated g) {
        return new Subject("record", context.target().config().schema() + "." + table.config().name() + "/" + key
                + "#" + g.config().column());
    }
}
