package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.merge.MergeVerdicts;
import java.util.ArrayList;
import java.util.List;

/**
 * One STORED column's sampled rows sorted by what is wrong with them. A stored value is judged against the oracle
 * (the contract's merge of mirror and delta, or the mirror or delta, at the column's declared path), never against
 * the database's merge function, which may itself be what broke:
 * <ul>
 *   <li>stored equals the oracle: right, whatever the expression gives now (a redefined, broken function does not
 *       make a correct stored value stale);</li>
 *   <li>stored differs, and the merge disagrees with the oracle on that document: it follows from the merge defect
 *       ({@code fromMerge});</li>
 *   <li>stored differs, and the expression now gives the oracle's value: stale, a recompute repairs it
 *       ({@code stale});</li>
 *   <li>stored differs, and so does the expression, with a correct merge: the column's expression itself is wrong;
 *       {@code merge.generated-column} reports that, a recompute cannot repair it, so it is not counted here.</li>
 * </ul>
 * A column the target config does not declare has no oracle: it is compared with its expression as before.
 *
 * @param examples up to {@link #EXAMPLES} lines "key: stored …, …" of the rows counted
 * @param keys     the record keys of those examples
 */
record StoredValueTally(long stale, long fromMerge, List<String> examples, List<String> keys) {
    static final int EXAMPLES = 5;

    /** Rows whose stored value is wrong (stale or following from the merge defect). */
    long wrong() {
        return stale + fromMerge;
    }

    static StoredValueTally of(List<StaleGeneratedValuesCheck.SampledRow> rows, int column,
                               TargetConfig.GeneratedColumn declared, MergeVerdicts verdicts) {
        long stale = 0;
        long fromMerge = 0;
        List<String> examples = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (StaleGeneratedValuesCheck.SampledRow row : rows) {
            String stored = row.stored().get(column);
            String now = row.now().get(column);
            MergeVerdicts.Verdict v = declared == null ? null
                    // a delta row of a record with several deltas and no owner column: which one is not known
                    : declared.source() == TargetConfig.GeneratedColumn.Source.DELTA && row.owner() == null
                    ? verdicts.only(row.key()) : verdicts.of(row.key(), row.owner());
            String line;
            if (v == null) {
                if (!row.drift()[column]) {
                    continue;
                }
                stale++;
                line = "stored " + quote(stored) + ", expression now gives " + quote(now);
            } else {
                String expected = v.expectedAt(declared);
                if (MergeVerdicts.sameValue(declared, expected, stored)) {
                    continue;
                }
                boolean merged = declared.source() == TargetConfig.GeneratedColumn.Source.MERGED;
                if (merged && v.mergeWrong()) {
                    fromMerge++;
                    line = "stored " + quote(stored) + ", the contract gives " + quote(expected)
                            + ", the merge function gives " + quote(v.mergedAt(declared));
                } else if (MergeVerdicts.sameValue(declared, expected, now)) {
                    stale++;
                    line = "stored " + quote(stored) + ", expression now gives " + quote(now) + " (the contract's)";
                } else {
                    continue;
                }
            }
            if (examples.size() < EXAMPLES) {
                examples.add(row.key() + (row.owner() == null ? "" : " / owner " + row.owner()) + ": " + line);
                keys.add(row.key());
            }
        }
        return new StoredValueTally(stale, fromMerge, List.copyOf(examples), List.copyOf(keys));
    }

    private static String quote(String v) {
        return v == null ? "NULL" : "'" + v + "'";
    }
}
