package dev.deltawatch.worker.check.merge;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.merge.MergeRecordReader.MergeRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The merge family's verdict on the documents of some records, for checks that judge what was computed from the
 * merge (generated columns, stored values): the oracle's value, and whether the database's merge agrees with the
 * oracle on that document. Where it does not, the verdict carries the fingerprint of the merge finding for that
 * defect ({@link MergeDefect#fingerprint}, rule {@link DifferentialMergeCheck#RULE}), so a dependent finding links to
 * it instead of proposing a fix that writes through the broken function.
 *
 * <p>Documents are read whole (never compact): the defect's signature must be the one the merge family computes
 * from the same whole documents.
 */
public final class MergeVerdicts {
    /** The evidence label under which a dependent finding lists the fingerprints of the findings it follows from. */
    public static final String FOLLOWS_FROM = "follows from";

    /** One document judged: the oracle's outcome, and the merge finding it shows (null when the merge agrees). */
    public record Verdict(MergeVerifier.Outcome outcome, String defect) {
        public boolean mergeWrong() {
            return defect != null;
        }

        /**
         * The value generated column {@code g} must hold for this document, as {@code ->>} gives it (null: SQL
         * NULL): the oracle's merged document, the mirror or the delta at the column's path.
         */
        public String expectedAt(TargetConfig.GeneratedColumn g) {
            MergeVerifier.Outcome o = outcome;
            return MergeVerifier.valueAt(switch (g.source()) {
                case MERGED -> o.expected();
                case MIRROR -> o.mirror();
                case DELTA -> o.delta();
            }, g.path());
        }

        /** The database's merged value at {@code g}'s path (what the merge function gives now). */
        public String mergedAt(TargetConfig.GeneratedColumn g) {
            return MergeVerifier.valueAt(outcome.actual(), g.path());
        }
    }

    private final Map<String, List<Verdict>> byRecord;
    private final Set<String> defects;

    private MergeVerdicts(Map<String, List<Verdict>> byRecord, Set<String> defects) {
        this.byRecord = byRecord;
        this.defects = defects;
    }

    /** Reads the documents of the records with these keys (text, as the key's own type prints) and judges them. */
    public static MergeVerdicts read(CheckContext context, Connection c, Collection<String> keys) throws SQLException {
        MergeVerifier verifier = new MergeVerifier(new MergeOracle(context.target().config().merge().contract()));
        MergeRecordReader reader = new MergeRecordReader(context.target(), MergeRecordReader.DEFAULT_BATCH_SIZE, false);
        List<String> all = new ArrayList<>(new LinkedHashSet<>(keys));
        Map<String, List<Verdict>> byRecord = new LinkedHashMap<>();
        Set<String> defects = new LinkedHashSet<>();
        for (int from = 0; from < all.size(); from += MergeRecordReader.DEFAULT_BATCH_SIZE) {
            List<String> part = all.subList(from, Math.min(all.size(), from + MergeRecordReader.DEFAULT_BATCH_SIZE));
            for (MergeRow row : reader.byKeys(c, reader.keyType(c), part, false)) {
                MergeVerifier.Outcome o = verifier.verify(row);
                String defect = o.agrees() ? null : defectFingerprint(context, o);
                if (defect != null) {
                    defects.add(defect);
                }
                byRecord.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(new Verdict(o, defect));
            }
        }
        return new MergeVerdicts(byRecord, defects);
    }

    /**
     * The fingerprint of the merge finding for the defect a wholly read document shows: the merge differential's
     * rule, the documents' table as document subjects name it ({@code schema.mirror_table}), the difference's shape.
     */
    public static String defectFingerprint(CheckContext context, MergeVerifier.Outcome whole) {
        TargetConfig config = context.target().config();
        return MergeDefect.fingerprint(context.targetName(), DifferentialMergeCheck.RULE,
                config.schema() + "." + config.documents().mirror().table(),
                JsonDiff.diff(whole.expected(), whole.actual(), MergeFindings.MAX_PATHS));
    }

    /** The signature of the defect a wholly read document shows, for the text of a finding that links to it. */
    public static String defectSignature(MergeVerifier.Outcome whole) {
        return MergeDefect.signature(JsonDiff.diff(whole.expected(), whole.actual(), MergeFindings.MAX_PATHS));
    }

    /**
     * The verdict for a document: {@code owner} null matches any document of the record (a row of the mirror's
     * table holds the record's mirror, whichever owner's delta merges over it). Null when the record was not read.
     */
    public Verdict of(String key, String owner) {
        for (Verdict v : byRecord.getOrDefault(key, List.of())) {
            if (owner == null || owner.equals(v.outcome().row().owner())) {
                return v;
            }
        }
        return null;
    }

    /** The record's one document, or null when it has several (deltas with no owner to tell them apart) or none. */
    public Verdict only(String key) {
        List<Verdict> documents = byRecord.getOrDefault(key, List.of());
        return documents.size() == 1 ? documents.get(0) : null;
    }

    /** The merge findings the judged documents show, each fingerprint once, in the order first seen. */
    public Set<String> defects() {
        return defects;
    }

    /** Whether the merge disagreed with the oracle on any judged document. */
    public boolean mergeWrong() {
        return !defects.isEmpty();
    }

    /** Equality as the column's SQL type sees it (a date that does not parse counts as NULL, as the columns map it). */
    public static boolean sameValue(TargetConfig.GeneratedColumn g, String expected, String actual) {
        return MergeVerifier.sameValue(g.sqlType(), expected, actual);
    }
}
