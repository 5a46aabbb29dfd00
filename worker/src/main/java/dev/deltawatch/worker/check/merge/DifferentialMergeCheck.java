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

    /** Connections a full scan reads on at once. */
    public static final int DEFAULT_PARTITIONS = 2;

    private final int batchSize;
    private final int partitions;

    public DifferentialMergeCheck() {
        this(MergeRecordReader.DEFAULT_BATCH_SIZE, DEFAULT_PARTITIONS);
    }

    public DifferentialMergeCheck(int batchSize) {
        this(batchSize, DEFAULT_PARTITIONS);
    }

    public DifferentialMergeCheck(int batchSize, int partitions) {
        if (batchSize < 1 || partitions < 1) {
            throw new IllegalArgumentException("batchSize and partitions must be >= 1, were " + batchSize + ", "
                    + partitions);
        }
        this.batchSize = batchSize;
        this.partitions = partitions;
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
            MergeRecordReader reader = new MergeRecordReader(context.target(), table, batchSize, true);
            List<Verdict> verdicts = RecordScan.run(context, reader, scope, partitions,
                    batch -> judge(context, table, reader, verifier, batch));
            try (Connection c = context.connect(true)) {
                List<String> suspects = new ArrayList<>();
                for (Verdict v : verdicts) {
                    if (v.result() != null) {
                        results.add(v.result());
                    } else {
                        suspects.add(v.suspectKey());
                    }
                }
                results.addAll(rejudgeWhole(context, table, reader, verifier, c, suspects));
                c.rollback();
            }
        }
        return results;
    }

    /** A judged record, or the key of a compact record that disagreed and must be re-read whole for evidence. */
    private record Verdict(CheckResult result, String suspectKey) {}

    private List<Verdict> judge(CheckContext context, ResolvedTarget.Table table, MergeRecordReader reader,
                                MergeVerifier verifier, List<MergeRow> batch) {
        List<Verdict> out = new ArrayList<>(batch.size());
        for (MergeRow row : batch) {
            MergeVerifier.Outcome o = verifier.verify(row);
            if (!o.agrees() && row.compact()) {
                out.add(new Verdict(null, row.key()));
            } else {
                out.add(new Verdict(result(context, table, reader, o), null));
            }
        }
        return out;
    }

    private List<CheckResult> rejudgeWhole(CheckContext context, ResolvedTarget.Table table, MergeRecordReader reader,
                                           MergeVerifier verifier, Connection c, List<String> keys) throws Exception {
        List<CheckResult> out = new ArrayList<>();
        if (keys.isEmpty()) {
            return out;
        }
        String keyType = reader.keyType(c);
        for (int from = 0; from < keys.size(); from += batchSize) {
            for (MergeRow row : reader.byKeys(c, keyType, keys.subList(from, Math.min(keys.size(), from + batchSize)),
                    false)) {
                out.add(result(context, table, reader, verifier.verify(row)));
            }
        }
        return out;
    }

    private CheckResult result(CheckContext context, ResolvedTarget.Table table, MergeRecordReader reader,
                               MergeVerifier.Outcome o) {
        MergeRow row = o.row();
        Subject subject = recordSubject(context, table, row.key());
        if (o.agrees()) {
            return CheckResult.pass(RULE, subject);
        }
        return CheckResult.fail(MergeFindings.mismatch(this, context, RULE, Severity.BLOCKER, subject,
                "record " + subject.name(), o.mirror(), o.delta(), o.expected(), o.actual(),
                reader.reproductionSql(row.key())));
    }

    static Subject recordSubject(CheckContext context, ResolvedTarget.Table table, String key) {
        return new Subject("record", context.target().config().schema() + "." + table.config().name() + "/" + key);
    }
}
