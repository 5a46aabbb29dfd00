package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.contracts.TargetConfig;
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
        List<TargetConfig.GeneratedColumn> columns = context.target().config().documents().generatedColumns();
        if (columns.isEmpty()) {
            return List.of();
        }
        MergeVerifier verifier = new MergeVerifier(new MergeOracle(context.target().config().merge().contract()));
        // Compact rows suffice: the generated columns' first path keys are always among the values shipped.
        MergeRecordReader reader = new MergeRecordReader(context.target(), batchSize, true, true);
        return RecordScan.run(context, reader, scope, DifferentialMergeCheck.DEFAULT_PARTITIONS,
                batch -> judge(context, verifier, columns, batch));
    }

    private List<CheckResult> judge(CheckContext context, MergeVerifier verifier,
                                    List<TargetConfig.GeneratedColumn> columns, List<MergeRow> batch) {
        List<CheckResult> out = new ArrayList<>();
        List<Subject> defects = columns.stream().map(g -> defect(context, g)).toList();
        for (MergeRow row : batch) {
            MergeVerifier.Outcome o = verifier.verify(row);
            List<MergeVerifier.Drift> drifts = verifier.drifts(o, columns);
            for (int i = 0; i < columns.size(); i++) {
                TargetConfig.GeneratedColumn g = columns.get(i);
                Subject subject = subject(context, row, g);
                Subject defect = defects.get(i);
                MergeVerifier.Drift drift = drifts.stream().filter(d -> d.column() == g).findFirst().orElse(null);
                out.add(drift == null ? CheckResult.pass(RULE, subject, defect)
                        : CheckResult.fail(finding(context, g, subject, o, drift), defect));
            }
        }
        return out;
    }

    private dev.deltawatch.contracts.Finding finding(CheckContext context, TargetConfig.GeneratedColumn g,
                                                     Subject subject, MergeVerifier.Outcome o, MergeVerifier.Drift drift) {
        String path = "$";
        for (String k : g.path()) {
            path = JsonDiff.child(path, k);
        }
        String merge = context.target().merge().displayName();
        String databaseAtPath = MergeVerifier.valueAt(o.actual(), g.path());
        boolean mirrorOnly = g.source() == TargetConfig.GeneratedColumn.Source.MERGED
                && java.util.Objects.equals(drift.actual(), MergeVerifier.valueAt(o.mirror(), g.path()))
                && o.delta() != null;
        String source = switch (g.source()) {
            case MERGED -> "the contract's merged document";
            case MIRROR -> "the mirror";
            case DELTA -> "the delta";
        };
        String cause = mirrorOnly
                ? "the column holds the mirror's value at " + path + ": its expression ignores the delta; define it "
                + "from the merged document (" + merge + " of mirror and delta)"
                : g.source() != TargetConfig.GeneratedColumn.Source.MERGED
                || MergeVerifier.sameValue(g.sqlType(), drift.expected(), databaseAtPath)
                ? "the stored value is stale or the column's expression reads the wrong path: recompute it (an UPDATE "
                + "that sets a column it depends on) and compare the column expression with " + source + " at " + path
                : "the merge function itself returns " + databaseAtPath + " at " + path
                + ": fix the function (see merge.differential), then recompute the stored values";
        return context.finding(this, RULE, Severity.HIGH, subject)
                .title("Generated column " + g.column() + " differs from " + source + " at " + path)
                .problem(o.row().label() + ": " + g.column() + " is " + quoteOrNull(drift.actual())
                        + " but " + source + " has " + quoteOrNull(drift.expected()) + " at " + path
                        + "; lookups through its index return wrong rows. " + cause)
                .evidence(MergeFindings.PATHS_LABEL, "text", path + ": expected " + quoteOrNull(drift.expected())
                        + ", actual " + quoteOrNull(drift.actual()))
                .evidence(o.row().compact() ? "mirror (at the delta's and the column's keys)" : "mirror", "json",
                        JsonDiff.render(o.mirror()))
                .evidence("delta", "json", JsonDiff.render(o.delta()))
                .reproductionSql(context.target().documents().reproductionSql(o.row().key(), o.row().owner()))
                .fix(cause)
                .build();
    }

    private static String quoteOrNull(String v) {
        return v == null ? "NULL" : "'" + v + "'";
    }

    /**
     * The defect drift of one column is: its expression (or its stored values) disagrees with the source, so all
     * records drifting on a column are one finding, with the count, whatever the record.
     */
    public static Subject defect(CheckContext context, TargetConfig.GeneratedColumn g) {
        String table = context.target().tables().stream()
                .filter(t -> t.generated().stream().anyMatch(x -> x.config().equals(g)))
                .map(ResolvedTarget.Table::name).findFirst().orElse(context.target().primaryTable().name());
        return new Subject("generated-column", context.target().config().schema() + "." + table + "." + g.column());
    }

    static Subject subject(CheckContext context, MergeRow row, TargetConfig.GeneratedColumn g) {
        Subject document = DifferentialMergeCheck.documentSubject(context, row.key(), row.owner());
        return new Subject("record", document.name() + "#" + g.column());
    }
}
