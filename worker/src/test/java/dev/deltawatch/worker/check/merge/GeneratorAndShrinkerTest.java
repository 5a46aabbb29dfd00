package dev.deltawatch.worker.check.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.worker.check.merge.MergeFunctionProbe.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorAndShrinkerTest {

    @Test
    void sameSeedGivesTheSamePairs() {
        DocumentGenerator a = new DocumentGenerator(42);
        DocumentGenerator b = new DocumentGenerator(42);
        for (int i = 0; i < 200; i++) {
            Pair x = a.next();
            Pair y = b.next();
            assertThat(x.mirror()).isEqualTo(y.mirror());
            assertThat(x.delta()).isEqualTo(y.delta());
        }
    }

    @Test
    void generatedPairsCoverNullsNestedEditsAndNonObjectDeltas() {
        DocumentGenerator g = new DocumentGenerator(MergeBatteryCheck.DEFAULT_SEED);
        int nulls = 0;
        int nested = 0;
        int nonObject = 0;
        for (int i = 0; i < 1_000; i++) {
            Pair p = g.next();
            String d = p.delta().toString();
            nulls += d.contains(":null") ? 1 : 0;
            nested += d.contains(":{") ? 1 : 0;
            nonObject += p.delta().isObject() ? 0 : 1;
        }
        assertThat(nulls).isGreaterThan(200);
        assertThat(nested).isGreaterThan(100);
        assertThat(nonObject).isPositive();
    }

    @Test
    void shrinksAFailingPairToTheKeyThatFails() throws Exception {
        // A "database" that drops JSON nulls from the delta (delete instead of override).
        MergeOracle reference = new MergeOracle(MergeContract.reference());
        MergeOracle deleting = new MergeOracle(MergeContract.rfc7386());
        Pair big = new Pair(MergeVerifier.parse("{\"a\":{\"x\":1,\"y\":[1,2,3]},\"b\":\"long text\",\"c\":2}"),
                MergeVerifier.parse("{\"a\":{\"x\":5,\"y\":[4]},\"b\":null,\"c\":3,\"d\":{\"e\":1}}"));
        Pair small = Shrinker.shrink(big, candidates -> {
            for (int i = 0; i < candidates.size(); i++) {
                Pair p = candidates.get(i);
                if (!JsonDiff.equal(reference.merge(p.mirror(), p.delta()), deleting.merge(p.mirror(), p.delta()))) {
                    return i;
                }
            }
            return -1;
        });
        assertThat(small.delta()).isEqualTo(MergeVerifier.parse("{\"b\":null}"));
        assertThat(small.mirror()).isEqualTo(MergeVerifier.parse("{}"));
    }

    @Test
    void compactRowIsJudgedOnTheDeltasKeysAndTheDatabasesRestComparison() {
        MergeVerifier verifier = new MergeVerifier(new MergeOracle(MergeContract.reference()));
        MergeRecordReader.MergeRow agreeing = new MergeRecordReader.MergeRow("1", null, true, null, "{\"a\": null, \"b\": [1]}",
                null, List.of(), new String[] {"a", "b"}, new String[] {"1", null}, new String[] {"null", "[1]"}, true);
        assertThat(verifier.verify(agreeing).agrees()).isTrue();
        MergeRecordReader.MergeRow deleted = new MergeRecordReader.MergeRow("2", null, true, null, "{\"a\": null}", null,
                List.of(), new String[] {"a"}, new String[] {"1"}, new String[] {null}, true);
        assertThat(verifier.verify(deleted).agrees()).isFalse();
        MergeRecordReader.MergeRow restDiffers = new MergeRecordReader.MergeRow("3", null, true, null, "{\"a\": 2}", null,
                List.of(), new String[] {"a"}, new String[] {"1"}, new String[] {"2"}, false);
        assertThat(verifier.verify(restDiffers).agrees()).isFalse();
    }
}
