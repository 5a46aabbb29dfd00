package dev.deltawatch.worker.discover;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.worker.check.merge.JsonDiff;
import dev.deltawatch.worker.check.merge.MergeEvidence.Observation;
import dev.deltawatch.worker.check.merge.MergeOracle;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of the expressible contracts explains the observations best: for every candidate, the set of cases its
 * oracle reproduces exactly. Cases the schema allows count first; cases it rules out only break ties (a function's
 * behaviour there is a fact, but it cannot matter to the target). Remaining ties are broken per dimension by the
 * value that explains the most cases across all candidates (how {@code ||} gets {@code override} and
 * {@code replace}, which its {@code concat} oracle does not distinguish), then by the dimension's default.
 * Not thread-safe; one instance per inference.
 */
final class ContractFit {
    /** Weight of one case the schema allows over cases it rules out: more than there are cases. */
    private static final long IN_DOMAIN = 1_000_000L;

    private final List<Observation> observations;
    private final List<MergeContract> candidates = ContractDimension.allContracts();
    private final Map<MergeContract, BitSet> explained = new LinkedHashMap<>();
    private final Map<MergeContract, Long> scores = new LinkedHashMap<>();
    private final BitSet inDomain = new BitSet();

    ContractFit(List<Observation> observations) {
        this.observations = List.copyOf(observations);
        for (int i = 0; i < this.observations.size(); i++) {
            if (this.observations.get(i).inDomain()) {
                inDomain.set(i);
            }
        }
        for (MergeContract c : candidates) {
            explained.put(c, new BitSet());
        }
        fill();
        for (MergeContract c : candidates) {
            scores.put(c, score(explained.get(c)));
        }
    }

    List<Observation> observations() {
        return observations;
    }

    /** The cases {@code contract}'s oracle reproduces (indexes into {@link #observations()}). */
    BitSet explained(MergeContract contract) {
        return (BitSet) explained.get(contract).clone();
    }

    /** The best candidate; see the class comment for the order. */
    MergeContract best() {
        long top = scores.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        List<MergeContract> tied = candidates.stream().filter(c -> scores.get(c) == top).toList();
        for (ContractDimension d : ContractDimension.values()) {
            long bestMarginal = tied.stream().mapToLong(c -> marginal(d, d.of(c))).max().orElseThrow();
            tied = tied.stream().filter(c -> marginal(d, d.of(c)) == bestMarginal).toList();
            Enum<?> first = tied.stream().map(d::of).min((a, b) -> a.ordinal() - b.ordinal()).orElseThrow();
            tied = tied.stream().filter(c -> d.of(c) == first).toList();
        }
        return tied.get(0);
    }

    /** Whether the value of {@code d} in {@code chosen} was picked by the tie-break rather than by its own cases. */
    boolean tieBroken(MergeContract chosen, ContractDimension d) {
        return d.choices().stream().filter(v -> v != d.of(chosen))
                .anyMatch(v -> scores.get(d.with(chosen, v)).longValue() == scores.get(chosen));
    }

    /** Cases in {@code a} and not in {@code b}. */
    BitSet only(MergeContract a, MergeContract b) {
        BitSet out = explained(a);
        out.andNot(explained.get(b));
        return out;
    }

    boolean inDomain(int index) {
        return inDomain.get(index);
    }

    /** Everything explained, summed over the candidates that share this value: the tie-break's evidence. */
    long marginal(ContractDimension d, Enum<?> value) {
        return candidates.stream().filter(c -> d.of(c) == value).mapToLong(scores::get).sum();
    }

    private long score(BitSet cases) {
        BitSet in = (BitSet) cases.clone();
        in.and(inDomain);
        return in.cardinality() * IN_DOMAIN + (cases.cardinality() - in.cardinality());
    }

    /**
     * Runs every candidate's oracle on every case that returned. The SQL NULL rule only matters where a side is SQL
     * NULL, and concat ignores deltaNull and arrays, so a pair of two documents is merged once per distinct oracle
     * (14 of the 72) and the answer shared.
     */
    private void fill() {
        Map<MergeContract, MergeOracle> oracles = new LinkedHashMap<>();
        candidates.forEach(c -> oracles.put(c, new MergeOracle(c)));
        for (int i = 0; i < observations.size(); i++) {
            Observation o = observations.get(i);
            if (o.raised()) {
                continue;
            }
            boolean nullSide = o.mirror() == null || o.delta() == null;
            Map<MergeContract, Boolean> byCore = new LinkedHashMap<>();
            for (MergeContract c : candidates) {
                boolean fits;
                if (nullSide) {
                    fits = JsonDiff.equal(oracles.get(c).merge(o.mirror(), o.delta()), o.actual());
                } else {
                    MergeContract core = core(c);
                    fits = byCore.computeIfAbsent(core, k -> JsonDiff.equal(oracles.get(c).merge(o.mirror(), o.delta()),
                            o.actual()));
                }
                if (fits) {
                    explained.get(c).set(i);
                }
            }
        }
    }

    /** What decides the oracle's answer for two documents: not the SQL NULL rule; under concat, only concat. */
    private static MergeContract core(MergeContract c) {
        if (c.objects() == MergeContract.Objects.CONCAT) {
            return MergeContract.concat();
        }
        return new MergeContract(c.objects(), c.deltaNull(), c.arrays(), MergeContract.SqlNull.EMPTY, c.typeCoercion());
    }

    /** What {@code contract} would return for case {@code index}. */
    static JsonNode expected(MergeContract contract, Observation o) {
        return new MergeOracle(contract).merge(o.mirror(), o.delta());
    }

    /** Indexes of the set bits, in order. */
    static List<Integer> indexes(BitSet bits) {
        List<Integer> out = new ArrayList<>(bits.cardinality());
        bits.stream().forEach(out::add);
        return out;
    }
}
