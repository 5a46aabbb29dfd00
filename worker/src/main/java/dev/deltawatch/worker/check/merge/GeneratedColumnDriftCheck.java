package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.CompactResults;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.merge.MergeRecordReader.MergeRow;
import dev.deltawatch.worker.findings.FindingBuilder;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code merge.generated-column}: every generated column of a record must equal the oracle's merged value at
 * its declared path (cast as its SQL type). Drift is HIGH: the indexes that serve lookups return the wrong rows
 * (MEDIUM where it follows from a merge defect, which the merge finding reports as a BLOCKER).
 * It catches a column expression that ignores the delta, and stored values left stale after the merge function
 * was redefined (PostgreSQL does not recompute STORED columns on {@code CREATE OR REPLACE FUNCTION}). A drift on a
 * document whose merge disagrees with the oracle follows from that merge defect: the finding links the merge
 * finding's fingerprint ({@link MergeVerdicts}) and its fix is the function's, never a recompute through it.
 *
 * <p>When a {@link DifferentialMergeCheck} it rides along ({@link DifferentialMergeCheck#feeding}) just read the
 * same scope on the same context, a run takes the verdicts judged during that read instead of reading again.
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
        ColumnVerdicts judged = takeHandedIn(context, scope);
        if (judged == null) {
            MergeVerifier verifier = new MergeVerifier(new MergeOracle(context.target().config().merge().contract()));
            // Compact rows suffice: the generated columns' first path keys are always among the values shipped.
            MergeRecordReader reader = new MergeRecordReader(context.target(), batchSize, true, true);
            List<ColumnVerdicts> batches = RecordScan.run(context, name(), reader, scope,
                    DifferentialMergeCheck.DEFAULT_PARTITIONS, batch -> {
                        ColumnVerdicts out = new ColumnVerdicts();
                        for (MergeRow row : batch) {
                            judge(context, verifier, columns, verifier.verify(row), out);
                        }
                        return List.of(out);
                    });
            judged = new ColumnVerdicts();
            batches.forEach(judged::addAll);
        }
        judged.results().addAll(linkToMergeDefects(context, judged.toLink()));
        return judged.results();
    }

    /** Verdicts a {@link DifferentialMergeCheck} judged for this check while reading {@code scope} on {@code context}. */
    synchronized void handIn(CheckContext context, CheckScope scope, ColumnVerdicts verdicts) {
        handedIn = new HandedIn(context, scope, verdicts);
    }

    /**
     * The handed-in verdicts if they are for this very run: the same context instance (a run's trigger and
     * settings; the next run gets a new one) and an equal scope. Taken once; anything else handed in is dropped,
     * so verdicts can never outlive the run they were judged for.
     */
    private synchronized ColumnVerdicts takeHandedIn(CheckContext context, CheckScope scope) {
        HandedIn h = handedIn;
        handedIn = null;
        return h != null && h.context() == context && h.scope().equals(scope) ? h.verdicts() : null;
    }

    private record HandedIn(CheckContext context, CheckScope scope, ColumnVerdicts verdicts) {}

    /**
     * The judged columns of some documents: the results (passes held compactly), and the drifts on documents whose
     * merge disagrees with the oracle, to be re-read whole so their findings link the merge defect they follow from.
     */
    record ColumnVerdicts(CompactResults results, List<DriftToLink> toLink) {
        ColumnVerdicts() {
            this(new CompactResults(), new ArrayList<>());
        }

        void addAll(ColumnVerdicts other) {
            results.addAll(other.results());
            toLink.addAll(other.toLink());
        }
    }

    /** A drift on a document whose merge disagrees with the oracle. */
    record DriftToLink(TargetConfig.GeneratedColumn column, Subject subject, MergeVerifier.Drift drift) {}

    /** One verdict per generated column of a verified document, added to {@code out}. */
    void judge(CheckContext context, MergeVerifier verifier, List<TargetConfig.GeneratedColumn> columns,
               MergeVerifier.Outcome o, ColumnVerdicts out) {
        List<MergeVerifier.Drift> drifts = verifier.drifts(o, columns);
        for (TargetConfig.GeneratedColumn g : columns) {
            Subject subject = subject(context, o.row(), g);
            Subject defect = defect(context, g);
            MergeVerifier.Drift drift = drifts.stream().filter(d -> d.column() == g).findFirst().orElse(null);
            if (drift == null) {
                out.results().add(CheckResult.pass(RULE, subject, defect));
            } else if (!o.agrees() && g.source() == TargetConfig.GeneratedColumn.Source.MERGED) {
                out.toLink().add(new DriftToLink(g, subject, drift));
            } else {
                out.results().add(CheckResult.fail(finding(context, g, subject, o, drift, null), defect));
            }
        }
    }

    /** Re-reads whole the documents of drifts whose merge disagreed, and links each finding to its merge defect. */
    private List<CheckResult> linkToMergeDefects(CheckContext context, List<DriftToLink> drifts) throws Exception {
        List<CheckResult> out = new ArrayList<>();
        if (drifts.isEmpty()) {
            return out;
        }
        MergeVerdicts verdicts;
        try (Connection c = context.connect(true)) {
            verdicts = MergeVerdicts.read(context, c, drifts.stream().map(j -> j.drift().row().key()).toList());
            c.rollback();
        }
        for (DriftToLink j : drifts) {
            MergeRow row = j.drift().row();
            MergeVerdicts.Verdict v = verdicts.of(row.key(), row.owner());
            if (v == null) {
                continue; // the record is gone since the scan read it: nothing left to judge
            }
            // Its own defect: a consequence of one merge defect, apart from the column's own drift (other severity).
            Subject consequence = new Subject("generated-column", defect(context, j.column()).name()
                    + " following " + v.defect());
            out.add(CheckResult.fail(finding(context, j.column(), j.subject(), v.outcome(), j.drift(), v.defect()),
                    consequence));
        }
        return out;
    }

    /**
     * The drift finding. With {@code defect} (the fingerprint of the merge finding the document shows) it follows
     * from that defect: it links it and points the fix at the merge function, never at a recompute, which would
     * write the broken function's value again.
     */
    private dev.deltawatch.contracts.Finding finding(CheckContext context, TargetConfig.GeneratedColumn g,
                                                     Subject subject, MergeVerifier.Outcome o, MergeVerifier.Drift drift,
                                                     String defect) {
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
        String fix = defect != null
                ? "Fix " + merge + " as the merge finding " + defect + " says; recompute nothing before: an UPDATE of "
                + "this row now writes the function's wrong value again"
                : mirrorOnly
                ? "the column holds the mirror's value at " + path + ": its expression ignores the delta; define it "
                + "from the merged document (" + merge + " of mirror and delta)"
                : "the stored value is stale or the column's expression reads the wrong path: recompute it (an UPDATE "
                + "that sets a column it depends on) and compare the column expression with " + source + " at " + path;
        String cause = defect == null ? fix : "This follows from the merge defect " + defect + " (merge.differential: "
                + MergeVerdicts.defectSignature(o) + "): " + merge + " returns " + quoteOrNull(databaseAtPath) + " at "
                + path + " where the contract gives " + quoteOrNull(drift.expected()) + ". " + fix;
        // A consequence ranks below its cause: the merge finding carries the urgency (BLOCKER), this one the link.
        FindingBuilder b = context.finding(this, RULE, defect == null ? Severity.HIGH : Severity.MEDIUM, subject)
                .title("Generated column " + g.column() + " differs from " + source + " at " + path
                        + (defect == null ? "" : ", following from the merge defect"))
                .problem(o.row().label() + ": " + g.column() + " is " + quoteOrNull(drift.actual())
                        + " but " + source + " has " + quoteOrNull(drift.expected()) + " at " + path
                        + "; lookups through its index return wrong rows. " + cause);
        if (defect != null) {
            b.evidence(MergeVerdicts.FOLLOWS_FROM, "text", defect);
        }
        return b.evidence(MergeFindings.PATHS_LABEL, "text", path + ": expected " + quoteOrNull(drift.expected())
                        + ", actual " + quoteOrNull(drift.actual()))
                .evidence(o.row().compact() ? "mirror (at the delta's and the column's keys)" : "mirror", "json",
                        JsonDiff.render(o.mirror()))
                .evidence("delta", "json", JsonDiff.render(o.delta()))
                .reproductionSql(context.target().documents().reproductionSql(o.row().key(), o.row().owner()))
                .fix(fix)
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
