package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.merge.MergeRecordReader.MergeRow;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code merge.differential}: for every record of the scope, the database's {@code merge(mirror, delta)} must
 * equal the oracle's merge of the same mirror and delta. A difference is a BLOCKER (users read wrong values).
 * Records are read in set-based batches; the oracle works on one batch while the next is being fetched.
 */
public final class DifferentialMergeCheck implements Check {
    public static final String RULE = "merged-value-mismatch";

    private final int batchSize;

    public DifferentialMergeCheck() {
        this(MergeRecordReader.DEFAULT_BATCH_SIZE);
    }

    public DifferentialMergeCheck(int batchSize) {
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return "merge.differential";
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
            MergeRecordReader reader = new MergeRecordReader(context.target(), table, batchSize);
            try (Connection c = context.connect(true); PipelinedBatches<CheckResult> pipeline =
                    new PipelinedBatches<>(batch -> judge(context, table, reader, verifier, batch))) {
                reader.read(c, scope, pipeline::submit);
                results.addAll(pipeline.finish());
                c.rollback();
            }
        }
        return results;
    }

    private List<CheckResult> judge(CheckContext context, ResolvedTarget.Table table, MergeRecordReader reader,
                                    MergeVerifier verifier, List<MergeRow> batch) {
        List<CheckResult> out = new ArrayList<>(batch.size());
        for (MergeRow row : batch) {
            MergeVerifier.Outcome o = verifier.verify(row);
            Subject subject = recordSubject(context, table, row.key());
            if (o.agrees()) {
                out.add(CheckResult.pass(RULE, subject));
            } else {
                out.add(CheckResult.fail(MergeFindings.mismatch(this, context, RULE, Severity.BLOCKER, subject,
                        "record " + subject.name(), o.mirror(), o.delta(), o.expected(), o.actual(),
                        reader.reproductionSql(row.key()))));
            }
        }
        return out;
    }

    static Subject recordSubject(CheckContext context, ResolvedTarget.Table table, String key) {
        return new Subject("record", context.target().config().schema() + "." + table.config().name() + "/" + key);
    }
}
