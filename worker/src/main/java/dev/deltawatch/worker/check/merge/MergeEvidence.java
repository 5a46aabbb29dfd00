package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.worker.check.MergeCall;
import dev.deltawatch.worker.check.ResolvedTarget;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a merge returns on the battery's inputs (the adversarial cases, the systematic kind × kind cases and a few
 * hundred seeded generated pairs), without judging it against any contract: the evidence contract inference fits
 * contracts to. Evaluated set-based ({@link MergeFunctionProbe}) inside the caller's transaction, which the caller
 * makes read-only; nothing is written.
 *
 * <p>Two outcomes end the evaluation instead of becoming evidence, because no contract could explain them and the
 * remaining cases would only repeat them: a statement timeout (SQLSTATE 57014: the merge does not finish; retrying
 * pair by pair would wait out the timeout once per pair) and a write refused by the read-only transaction (25006:
 * the merge writes). Both are thrown naming the merge and the statement's first case.
 */
public final class MergeEvidence {
    /** Seeded generated pairs added to the deliberate cases; enough to reach shapes the battery does not spell out. */
    public static final int GENERATED = 200;
    static final String TIMEOUT = "57014";
    static final String READ_ONLY = "25006";
    private static final Set<String> FATAL = Set.of(TIMEOUT, READ_ONLY);
    /** Cases per statement, as the probe batches them; a failing statement names its first case. */
    private static final int CHUNK = MergeFunctionProbe.CHUNK;

    /**
     * One input pair and what the merge made of it.
     *
     * @param name    the case, e.g. {@code mirror object × delta null at depth 2} or {@code adversarial arrays}
     * @param mirror  the mirror ({@code null}: SQL NULL)
     * @param delta   the delta ({@code null}: SQL NULL)
     * @param actual  what the merge returned ({@code null}: SQL NULL, or it raised)
     * @param error   {@code SQLSTATE: message} when the merge raised on this pair; null otherwise
     * @param outside why the schema rules this pair out (NOT NULL, an object-only CHECK), or null when it can occur
     */
    public record Observation(String name, JsonNode mirror, JsonNode delta, JsonNode actual, String error,
                              String outside) {
        public boolean raised() {
            return error != null;
        }

        public boolean inDomain() {
            return outside == null;
        }
    }

    private MergeEvidence() {}

    /** One input pair of the battery; {@code null} documents are SQL NULL. */
    public record Input(String name, JsonNode mirror, JsonNode delta) {}

    /** Every case, in order: adversarial, systematic, then {@link #GENERATED} seeded pairs. */
    public static List<Input> inputs() {
        List<Input> out = new ArrayList<>();
        for (AdversarialCases.Case k : AdversarialCases.all()) {
            out.add(new Input("adversarial " + k.name(), k.mirror(), k.delta()));
        }
        for (SystematicMergeCases.Case k : SystematicMergeCases.all()) {
            out.add(new Input(k.name(), k.pair().mirror(), k.pair().delta()));
        }
        DocumentGenerator generator = new DocumentGenerator(MergeBatteryCheck.DEFAULT_SEED);
        for (int i = 1; i <= GENERATED; i++) {
            MergeFunctionProbe.Pair p = generator.next();
            out.add(new Input("generated pair " + i + " (seed " + MergeBatteryCheck.DEFAULT_SEED + ")", p.mirror(),
                    p.delta()));
        }
        return out;
    }

    /** The merge on every case of {@link #inputs()}, in that order. */
    public static List<Observation> observe(Connection c, MergeCall merge, ResolvedTarget.InputDomain domain)
            throws SQLException {
        List<Input> inputs = inputs();
        MergeFunctionProbe probe = new MergeFunctionProbe(merge);
        List<Observation> out = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += CHUNK) {
            List<Input> chunk = inputs.subList(from, Math.min(inputs.size(), from + CHUNK));
            List<MergeFunctionProbe.Result> got;
            try {
                got = probe.evaluate(c, chunk.stream().map(k -> new MergeFunctionProbe.Pair(k.mirror(), k.delta()))
                        .toList(), false, FATAL);
            } catch (SQLException e) {
                throw stopped(e, merge, chunk);
            }
            for (int i = 0; i < chunk.size(); i++) {
                Input k = chunk.get(i);
                MergeFunctionProbe.Result r = got.get(i);
                out.add(new Observation(k.name(), k.mirror(), k.delta(), r.error() == null
                        ? MergeVerifier.parse(r.merged()) : null, r.error(),
                        InputDomainFilter.outside(domain, k.mirror(), k.delta())));
            }
        }
        return out;
    }

    /** The probe's error for a write or a timeout, said as what it means for the merge; others as they are. */
    private static SQLException stopped(SQLException e, MergeCall merge, List<Input> chunk) {
        String where = chunk.size() == 1 ? chunk.get(0).name()
                : chunk.get(0).name() + " (or one of the " + (chunk.size() - 1) + " cases after it)";
        String error = e.getSQLState() + ": " + MergeFunctionProbe.firstLine(e.getMessage());
        if (READ_ONLY.equals(e.getSQLState())) {
            return new SQLException(merge.displayName() + " writes to the database (on " + where + ": " + error
                    + "); a merge must be a pure function of mirror and delta, and contract inference only runs it "
                    + "in a read-only transaction", READ_ONLY, e);
        }
        if (TIMEOUT.equals(e.getSQLState())) {
            return new SQLException(merge.displayName() + " did not finish within the statement timeout on " + where
                    + " (" + error + ")", TIMEOUT, e);
        }
        return e;
    }
}
