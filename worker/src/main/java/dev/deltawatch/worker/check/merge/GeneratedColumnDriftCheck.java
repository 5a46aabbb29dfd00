package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.merge.MergeRecordReader.MergeRow;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code merge.generated-column}: every generated column of a record must equal the oracle's merged value at
 * its declared path (cast as its SQL type). Drift is HIGH: the indexes that serve lookups return the wrong rows.
 * It catches a column expression that ignores the delta, and stored values left stale after the merge function
 * was redefined (PostgreSQL does not recompute STORED columns on {@code CREATE OR REPLACE FUNCTION}).
 *
 * <p>When a {@link DifferentialMergeCheck} it rides along ({@link DifferentialMergeCheck#feeding}) just read the
 * same scope on the same context, a run returns the results judged during that read instead of reading again.
 */
public final class GeneratedColumnDriftCheck implements Check {
    public static final String RULE = "generated-column-drift";

    private final int batchSize;
    private HandedIn handedIn;

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
        List<CheckResult> judged = takeHandedIn(context, scope);
        if (judged != null) {
            return judged;
        }
        MergeVerifier verifier = new MergeVerifier(new MergeOracle(context.target().config().merge().contract()));
        // Compact rows suffice: the generated columns' first path keys are always among the values shipped.
        MergeRecordReader reader = new MergeRecordReader(context.target(), batchSize, true, true);
        return RecordScan.run(context, name(), reader, scope, DifferentialMergeCheck.DEFAULT_PARTITIONS, batch -> {
            List<CheckResult> out = new ArrayList<>();
            for (MergeRow row : batch) {
                judge(context, verifier, columns, verifier.verify(row), out);
            }
            return out;
        });
    }

    /** Results a {@link DifferentialMergeCheck} judged for this check while reading {@code scope} on {@code context}. */
    synchronized void handIn(CheckContext context, CheckScope scope, List<CheckResult> results) {
        handedIn = new HandedIn(context, scope, results);
    }

    /**
     * The handed-in results if they are for this very run: the same context instance (a run's trigger and
     * settings; the next run gets a new one) and an equal scope. Taken once; anything else handed in is dropped,
     * so results can never outlive the run they were judged for.
     */
    private synchronized List<CheckResult> takeHandedIn(CheckContext context, CheckScope scope) {
        HandedIn h = handedIn;
        handedIn = null;
        return h != null && h.context() == context && h.scope().equals(scope) ? h.results() : null;
    }

    private record HandedIn(CheckContext context, CheckScope scope, List<CheckResult> results) {}

    /** One result per generated column of a verified document, appended to {@code out}. */
    void judge(CheckContext context, MergeVerifier verifier, List<TargetConfig.GeneratedColumn> columns,
               MergeVerifier.Outcome o, List<CheckResult> out) {
        List<MergeVerifier.Drift> drifts = verifier.drifts(o, columns);
        for (TargetConfig.GeneratedColumn g : columns) {
            Subject subject = subject(context, o.row(), g);
            MergeVerifier.Drift drift = drifts.stream().filter(d -> d.column() == g).findFirst().orElse(null);
            out.add(drift == null ? CheckResult.pass(RULE, subject)
                    : CheckResult.fail(finding(context, g, subject, o, drift)));
        }
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

    static Subject subject(CheckContext context, MergeRow row, TargetConfig.GeneratedColumn g) {
        Subject document = DifferentialMergeCheck.documentSubject(context, row.key(), row.owner());
        return new Subject("record", document.name() + "#" + g.column());
    }
}
