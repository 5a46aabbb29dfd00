package dev.deltawatch.worker.discover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.worker.check.merge.MergeEvidence;
import dev.deltawatch.worker.check.merge.MergeEvidence.Observation;
import dev.deltawatch.worker.check.merge.MergeOracle;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The fit on observations made by an oracle: the battery's inputs tell every expressible contract apart. */
class ContractFitTest {

    @Test
    void recoversEveryContractFromWhatItsOwnOracleReturns() {
        for (MergeContract declared : ContractDimension.allContracts()) {
            MergeOracle oracle = new MergeOracle(declared);
            ContractFit fit = new ContractFit(observe(oracle::merge));
            MergeContract inferred = fit.best();
            FitReasons reasons = new FitReasons(fit, inferred);
            assertThat(reasons.unexplained()).as(declared.toString()).isEmpty();
            if (declared.objects() == MergeContract.Objects.CONCAT) {
                // ||'s oracle ignores deltaNull and arrays: the tie-break says what || does at the top level.
                assertThat(inferred).as(declared.toString()).isEqualTo(new MergeContract(MergeContract.Objects.CONCAT,
                        MergeContract.DeltaNull.OVERRIDE, MergeContract.Arrays.REPLACE, declared.sqlNull(),
                        MergeContract.TypeCoercion.NONE));
            } else {
                assertThat(inferred).as(declared.toString()).isEqualTo(declared);
            }
        }
    }

    @Test
    void reasonsNameTheDecidingCaseAndWhatTheAlternativeWouldGive() {
        ContractFit fit = new ContractFit(observe(new MergeOracle(MergeContract.reference())::merge));
        var reasons = new FitReasons(fit, fit.best()).reasons();
        assertThat(reasons).containsOnlyKeys("objects", "deltaNull", "arrays", "sqlNull", "typeCoercion");
        assertThat(reasons.get("objects")).startsWith("deep: ").contains("cases fit it and not shallow, e.g. mirror ")
                .contains(" where shallow gives ");
        assertThat(reasons.get("sqlNull")).startsWith("mirror: empty: ").contains("; delta: empty: ");
        assertThat(reasons.get("typeCoercion")).startsWith("none: no case changed");
    }

    @Test
    void aFunctionNoContractDescribesGetsTheClosestAndItsCounterexamples() {
        MergeOracle reference = new MergeOracle(MergeContract.reference());
        // Coerces "0" to 0 at the top level, otherwise the reference merge.
        ContractFit fit = new ContractFit(observe((m, d) -> {
            JsonNode merged = reference.merge(m, d);
            if (merged instanceof ObjectNode o && d != null && d.isObject()) {
                d.fields().forEachRemaining(e -> {
                    if (e.getValue().isTextual() && e.getValue().asText().equals("0")) {
                        o.put(e.getKey(), 0);
                    }
                });
            }
            return merged;
        }));
        MergeContract inferred = fit.best();
        FitReasons reasons = new FitReasons(fit, inferred);
        assertThat(inferred).isEqualTo(MergeContract.reference());
        assertThat(reasons.unexplained()).isNotEmpty().anySatisfy(u -> assertThat(u)
                .startsWith("adversarial string-zero-over-number: mirror {\"qty\":0} + delta {\"qty\":\"0\"} gave "
                        + "{\"qty\":0}, the contract gives {\"qty\":\"0\"} (first difference at $.qty)"));
        assertThat(reasons.reasons().get("typeCoercion")).startsWith("none is the only value, but ")
                .contains("the function coerces");
    }

    @Test
    void inputsTheSchemaRulesOutOnlyBreakTiesAndAreNotListed() {
        MergeOracle reference = new MergeOracle(MergeContract.reference());
        List<Observation> raw = observe((m, d) -> m == null ? null : reference.merge(m, d));
        // Declared NOT NULL: the NULL-mirror cases are outside the domain.
        List<Observation> obs = raw.stream().map(o -> new Observation(o.name(), o.mirror(), o.delta(), o.actual(),
                o.error(), o.mirror() == null ? "mirror NOT NULL" : null)).toList();
        ContractFit fit = new ContractFit(obs);
        MergeContract inferred = fit.best();
        assertThat(inferred.sqlNull().mirror()).isEqualTo(MergeContract.SqlNull.PROPAGATE);
        assertThat(new FitReasons(fit, inferred).unexplained()).isEmpty();
        assertThat(new FitReasons(fit, inferred).reasons().get("sqlNull"))
                .contains("(all of them inputs the schema rules out)");
    }

    static List<Observation> observe(BiFunction<JsonNode, JsonNode, JsonNode> merge) {
        return MergeEvidence.inputs().stream().map(k -> new Observation(k.name(), k.mirror(), k.delta(),
                merge.apply(copy(k.mirror()), copy(k.delta())), null, null)).toList();
    }

    private static JsonNode copy(JsonNode node) {
        return node == null ? null : node.deepCopy();
    }
}
