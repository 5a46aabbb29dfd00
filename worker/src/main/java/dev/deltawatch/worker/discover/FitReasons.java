package dev.deltawatch.worker.discover;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.worker.check.merge.JsonDiff;
import dev.deltawatch.worker.check.merge.MergeEvidence.Observation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Says why each dimension of the chosen contract has its value (the cases that tell it from each alternative, with
 * the smallest as the example) and which cases the chosen contract does not explain. These texts become comments in
 * a generated target config, so they name inputs and outputs, never only counts.
 */
final class FitReasons {
    /** Unexplained cases listed one by one; the rest are counted. */
    static final int MAX_LISTED = 20;

    private final ContractFit fit;
    private final MergeContract chosen;
    private final List<Observation> obs;
    /** Text length of each case's mirror, delta and result (the example shown is the shortest); -1 until needed. */
    private final int[] sizes;

    FitReasons(ContractFit fit, MergeContract chosen) {
        this.fit = fit;
        this.chosen = chosen;
        this.obs = fit.observations();
        this.sizes = new int[obs.size()];
        Arrays.fill(sizes, -1);
    }

    /** Per dimension name (objects, deltaNull, arrays, sqlNull, typeCoercion), what decided it. */
    Map<String, String> reasons() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("objects", dimension(ContractDimension.OBJECTS));
        out.put("deltaNull", dimension(ContractDimension.DELTA_NULL));
        out.put("arrays", dimension(ContractDimension.ARRAYS));
        out.put("sqlNull", "mirror: " + dimension(ContractDimension.SQL_NULL_MIRROR) + "; delta: "
                + dimension(ContractDimension.SQL_NULL_DELTA));
        out.put("typeCoercion", coercion());
        return out;
    }

    /** The cases the schema allows that the chosen contract does not reproduce, the first {@link #MAX_LISTED}. */
    List<String> unexplained() {
        BitSet explained = fit.explained(chosen);
        List<String> out = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < obs.size(); i++) {
            if (!fit.inDomain(i) || explained.get(i)) {
                continue;
            }
            if (++count <= MAX_LISTED) {
                out.add(describe(obs.get(i)));
            }
        }
        if (count > MAX_LISTED) {
            out.add("… and " + (count - MAX_LISTED) + " more of " + obs.size() + " cases");
        }
        return out;
    }

    private String dimension(ContractDimension d) {
        Enum<?> value = d.of(chosen);
        StringBuilder s = new StringBuilder(ContractDimension.word(value));
        List<String> parts = new ArrayList<>();
        for (Enum<?> other : d.choices()) {
            if (other == value) {
                continue;
            }
            MergeContract alt = d.with(chosen, other);
            BitSet forValue = fit.only(chosen, alt);
            String name = ContractDimension.word(other);
            if (forValue.isEmpty()) {
                parts.add("no case tells it from " + name);
                continue;
            }
            int in = inDomain(forValue);
            int k = smallest(forValue);
            parts.add(forValue.cardinality() + " cases fit it and not " + name
                    + (in == 0 ? " (all of them inputs the schema rules out)" : "") + ", e.g. "
                    + input(obs.get(k)) + " gave " + doc(obs.get(k).actual()) + " where " + name + " gives "
                    + doc(ContractFit.expected(alt, obs.get(k))));
        }
        s.append(": ").append(String.join("; ", parts));
        if (fit.tieBroken(chosen, d)) {
            s.append(tieBreak(d, value));
        }
        return s.toString();
    }

    /** Why a value was chosen over one that fits as well: its cases under the other contracts, or the default. */
    private String tieBreak(ContractDimension d, Enum<?> value) {
        long own = fit.marginal(d, value);
        long next = d.choices().stream().filter(v -> v != value).mapToLong(v -> fit.marginal(d, v)).max().orElse(0);
        if (own > next) {
            return " (chosen because the candidate contracts with " + ContractDimension.word(value)
                    + " explain more cases than those with any other value)";
        }
        return " (chosen as the default: nothing tells the values apart)";
    }

    /**
     * {@code none} is the only value the contract has, so evidence against it is a case whose value changed JSON type
     * between the delta and the result (a {@code "0"} that came back as {@code 0}).
     */
    private String coercion() {
        BitSet explained = fit.explained(chosen);
        List<Integer> coerced = new ArrayList<>();
        for (int i = 0; i < obs.size(); i++) {
            Observation o = obs.get(i);
            if (fit.inDomain(i) && !o.raised() && !explained.get(i) && changesType(ContractFit.expected(chosen, o),
                    o.actual())) {
                coerced.add(i);
            }
        }
        if (coerced.isEmpty()) {
            return "none: no case changed a value's JSON type (\"0\" stayed a string, 0 a number)";
        }
        Observation o = obs.get(coerced.stream().min(Comparator.comparingInt(this::size)).orElseThrow());
        return "none is the only value, but " + coerced.size() + " cases changed a value's JSON type, e.g. " + input(o)
                + " gave " + doc(o.actual()) + " where the contract gives " + doc(ContractFit.expected(chosen, o))
                + ": the function coerces, which no contract describes (listed as unexplained)";
    }

    /** Whether some difference is a scalar of one JSON type where the other has a scalar of another. */
    private static boolean changesType(JsonNode expected, JsonNode actual) {
        return JsonDiff.diff(expected, actual, 10).stream().anyMatch(d -> d.expected() != null && d.actual() != null
                && d.expected().isValueNode() && d.actual().isValueNode()
                && d.expected().getNodeType() != d.actual().getNodeType());
    }

    private String describe(Observation o) {
        if (o.raised()) {
            return o.name() + ": " + input(o) + " raised " + o.error();
        }
        JsonNode expected = ContractFit.expected(chosen, o);
        List<JsonDiff.Difference> diffs = JsonDiff.diff(expected, o.actual(), 1);
        return o.name() + ": " + input(o) + " gave " + doc(o.actual()) + ", the contract gives " + doc(expected)
                + (diffs.isEmpty() ? "" : " (first difference at " + diffs.get(0).path() + ")");
    }

    private int inDomain(BitSet cases) {
        return (int) cases.stream().filter(fit::inDomain).count();
    }

    /**
     * The case to show: one the schema allows if there is one, then one of two documents (a SQL NULL side mixes in
     * the SQL NULL rule), then the shortest.
     */
    private int smallest(BitSet cases) {
        return cases.stream().boxed().min(Comparator.comparing((Integer i) -> !fit.inDomain(i))
                .thenComparing(i -> obs.get(i).mirror() == null || obs.get(i).delta() == null)
                .thenComparingInt(this::size)).orElseThrow();
    }

    private int size(int index) {
        if (sizes[index] < 0) {
            Observation o = obs.get(index);
            sizes[index] = length(o.mirror()) + length(o.delta()) + length(o.actual());
        }
        return sizes[index];
    }

    private static int length(JsonNode node) {
        return node == null ? 0 : node.toString().length();
    }

    private static String input(Observation o) {
        return "mirror " + doc(o.mirror()) + " + delta " + doc(o.delta());
    }

    private static String doc(JsonNode node) {
        return node == null ? "SQL NULL" : JsonDiff.render(node);
    }
}
