package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.CompactResults;
import dev.deltawatch.worker.check.Documents;
import dev.deltawatch.worker.check.merge.MergeRecordReader.MergeRow;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code merge.differential}: for every document of the scope, the database's merged value must equal the oracle's
 * merge of the same mirror and delta (or the mirror, for a record with no delta row). A difference is a BLOCKER (users read wrong values).
 * Records are read in set-based batches; the oracle works on one batch while the next is being fetched. With a
 * {@link GeneratedColumnDriftCheck} riding along ({@link #feeding}) the same read judges the generated columns too.
 */
public final class DifferentialMergeCheck implements Check {
    public static final String RULE = "merged-value-mismatch";

    /** Connections a full scan reads on at once. */
    public static final int DEFAULT_PARTITIONS = 2;

    private final int batchSize;
    private final int partitions;
    private final GeneratedColumnDriftCheck rider;

    public DifferentialMergeCheck() {
        this(MergeRecordReader.DEFAULT_BATCH_SIZE, DEFAULT_PARTITIONS);
    }

    public DifferentialMergeCheck(int batchSize) {
        this(batchSize, DEFAULT_PARTITIONS);
    }

    public DifferentialMergeCheck(int batchSize, int partitions) {
        this(batchSize, partitions, null);
    }

    private DifferentialMergeCheck(int batchSize, int partitions, GeneratedColumnDriftCheck rider) {
        if (batchSize < 1 || partitions < 1) {
            throw new IllegalArgumentException("batchSize and partitions must be >= 1, were " + batchSize + ", "
                    + partitions);
        }
        this.batchSize = batchSize;
        this.partitions = partitions;
        this.rider = rider;
    }

    /**
     * This check with {@code drift} riding along: each run also judges the generated columns of every document it
     * reads and hands those results to {@code drift}, whose next run on the same context and scope returns them
     * instead of reading every record again. Both verdicts from one read of the rows, for callers that run the two
     * checks one after the other (the one-shot {@code check}, the worker's merge group).
     */
    public DifferentialMergeCheck feeding(GeneratedColumnDriftCheck drift) {
        return new DifferentialMergeCheck(batchSize, partitions, java.util.Objects.requireNonNull(drift, "drift"));
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
        List<TargetConfig.GeneratedColumn> columns = rider == null ? List.of()
                : context.target().config().documents().generatedColumns();
        // Riding along costs the drift check's extra values per record, not a read of every record of its own.
        MergeRecordReader reader = new MergeRecordReader(context.target(), batchSize, true, !columns.isEmpty());
        List<Judged> batches = RecordScan.run(context, name(), reader, scope, partitions,
                batch -> List.of(judge(context, reader, verifier, columns, batch)));
        CompactResults results = new CompactResults();
        List<String> suspects = new ArrayList<>();
        GeneratedColumnDriftCheck.ColumnVerdicts drift = new GeneratedColumnDriftCheck.ColumnVerdicts();
        for (Judged b : batches) {
            results.addAll(b.results());
            for (String key : b.suspects()) {
                if (suspects.isEmpty() || !suspects.get(suspects.size() - 1).equals(key)) {
                    suspects.add(key);
                }
            }
            if (b.drift() != null) {
                drift.addAll(b.drift());
            }
        }
        batches = null; // the flattened lists hold everything now; let the batches go before the re-read
        try (Connection c = context.connect(true)) {
            results.addAll(rejudgeWhole(context, reader, verifier, c, suspects));
            c.rollback();
        }
        if (!columns.isEmpty()) {
            rider.handIn(context, scope, drift);
        }
        return results;
    }

    /**
     * One batch judged: the documents' results, the keys of compact documents that disagreed (to be re-read whole
     * for evidence), and the generated-column results of the check riding along (empty when none rides).
     */
    private record Judged(CompactResults results, List<String> suspects,
                          GeneratedColumnDriftCheck.ColumnVerdicts drift) {}

    private Judged judge(CheckContext context, MergeRecordReader reader, MergeVerifier verifier,
                         List<TargetConfig.GeneratedColumn> columns, List<MergeRow> batch) {
        CompactResults results = new CompactResults();
        List<String> suspects = new ArrayList<>();
        GeneratedColumnDriftCheck.ColumnVerdicts drift = columns.isEmpty() ? null
                : new GeneratedColumnDriftCheck.ColumnVerdicts();
        for (MergeRow row : batch) {
            MergeVerifier.Outcome o = verifier.verify(row);
            if (!o.agrees() && row.compact()) {
                suspects.add(row.key());
            } else {
                results.add(result(context, reader, o));
            }
            if (!columns.isEmpty()) {
                rider.judge(context, verifier, columns, o, drift);
            }
        }
        return new Judged(results, suspects, drift);
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
        return Documents.table(context.target());
    }

    /** A document's subject: {@code public.pfa_records/42}, with {@code  / owner u-7} where deltas are per owner. */
    static Subject documentSubject(CheckContext context, String key, String owner) {
        return Documents.subject(context.target(), key, owner);
    }
}
