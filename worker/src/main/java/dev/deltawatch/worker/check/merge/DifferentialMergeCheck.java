package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.Documents;
import dev.deltawatch.worker.check.merge.MergeRecordReader.MergeRow;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code merge.differential}: for every document of the scope, the database's merged value must equal the oracle's
 * merge of the same mirror and delta (or the mirror, for a record with no delta row). A difference is a BLOCKER (users read wrong values).
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
        MergeRecordReader reader = new MergeRecordReader(context.target(), batchSize, true);
        List<Verdict> verdicts = RecordScan.run(context, reader, scope, partitions,
                batch -> judge(context, reader, verifier, batch));
        try (Connection c = context.connect(true)) {
            List<String> suspects = new ArrayList<>();
            for (Verdict v : verdicts) {
                if (v.result() != null) {
                    results.add(v.result());
                } else if (suspects.isEmpty() || !suspects.get(suspects.size() - 1).equals(v.suspectKey())) {
                    suspects.add(v.suspectKey());
                }
            }
            results.addAll(rejudgeWhole(context, reader, verifier, c, suspects));
            c.rollback();
        }
        return results;
    }

    /** A judged document, or the key of a compact document that disagreed and must be re-read whole for evidence. */
    private record Verdict(CheckResult result, String suspectKey) {}

    private List<Verdict> judge(CheckContext context, MergeRecordReader reader, MergeVerifier verifier,
                                List<MergeRow> batch) {
        List<Verdict> out = new ArrayList<>(batch.size());
        for (MergeRow row : batch) {
            MergeVerifier.Outcome o = verifier.verify(row);
            if (!o.agrees() && row.compact()) {
                out.add(new Verdict(null, row.key()));
            } else {
                out.add(new Verdict(result(context, reader, o), null));
            }
        }
        return out;
    }

    /** Re-reads whole the records whose documents disagreed; every document of such a record is judged again. */
    private List<CheckResult> rejudgeWhole(CheckContext context, MergeRecordReader reader, MergeVerifier verifier,
                                           Connection c, List<String> keys) throws Exception {
        List<CheckResult> out = new ArrayList<>();
        if (keys.isEmpty()) {
            return out;
        }
        String keyType = reader.keyType(c);
        for (int from = 0; from < keys.size(); from += batchSize) {
            for (MergeRow row : reader.byKeys(c, keyType, keys.subList(from, Math.min(keys.size(), from + batchSize)),
                    false)) {
                MergeVerifier.Outcome o = verifier.verify(row);
                if (!o.agrees()) {
                    out.add(result(context, reader, o));
                }
            }
        }
        return out;
    }

    private CheckResult result(CheckContext context, MergeRecordReader reader, MergeVerifier.Outcome o) {
        MergeRow row = o.row();
        Subject subject = documentSubject(context, row.key(), row.owner());
        if (o.agrees()) {
            return CheckResult.pass(RULE, subject);
        }
        return CheckResult.fail(MergeFindings.mismatch(this, context, RULE, Severity.BLOCKER, subject,
                row.label(), o.mirror(), o.delta(), o.expected(), o.actual(), reader.reproductionSql(row)),
                MergeFindings.defect(documentsTable(context), o.expected(), o.actual()));
    }

    /**
     * The table whose documents the defect is seen on ({@code public.pfa_records}): the {@code table} of
     * {@link MergeDefect#subject} for this rule.
     */
    public static String documentsTable(CheckContext context) {
        return context.target().config().schema() + "." + context.target().config().documents().mirror().table();
    }

    /** A document's subject: {@code public.pfa_records/42}, with {@code  / owner u-7} where deltas are per owner. */
    static Subject documentSubject(CheckContext context, String key, String owner) {
        return Documents.subject(context.target(), key, owner);
    }
}
