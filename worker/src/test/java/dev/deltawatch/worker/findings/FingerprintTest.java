package dev.deltawatch.worker.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FingerprintTest {
    private static final Subject RECORD = new Subject("record", "public.pfa_records/42");

    @Test
    void sameProblemObservedTwiceHasTheSameFingerprint() {
        Finding first = new FindingBuilder("merge", "merged-value-mismatch", Severity.BLOCKER, "t", RECORD)
                .evidence("diff", "json", "{\"a\":1}").observedAt(Instant.parse("2026-01-01T00:00:00Z")).build();
        Finding later = new FindingBuilder("merge", "merged-value-mismatch", Severity.HIGH, "t", RECORD)
                .evidence("diff", "json", "{\"a\":2}").observedAt(Instant.parse("2026-06-01T00:00:00Z")).build();
        assertThat(later.fingerprint()).isEqualTo(first.fingerprint()).hasSize(32);
    }

    @Test
    void familyRuleTargetAndSubjectEachChangeTheFingerprint() {
        String base = Fingerprint.of("merge", "r", "t", RECORD);
        assertThat(Fingerprint.of("plan", "r", "t", RECORD)).isNotEqualTo(base);
        assertThat(Fingerprint.of("merge", "r2", "t", RECORD)).isNotEqualTo(base);
        assertThat(Fingerprint.of("merge", "r", "t2", RECORD)).isNotEqualTo(base);
        assertThat(Fingerprint.of("merge", "r", "t", new Subject("record", "public.pfa_records/43"))).isNotEqualTo(base);
        // Field boundaries matter: "ab"+"c" must not collide with "a"+"bc".
        assertThat(Fingerprint.of("ab", "c", "t", RECORD)).isNotEqualTo(Fingerprint.of("a", "bc", "t", RECORD));
    }

    @Test
    void builtFindingStartsOpenedWithOneOccurrence() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        Finding f = new FindingBuilder("plan", "seq-scan", Severity.BLOCKER, "t", new Subject("query", "q"))
                .title("Sequential scan").fix("CREATE INDEX ...").observedAt(at).build();
        assertThat(f.status()).isEqualTo(FindingStatus.OPENED);
        assertThat(f.occurrences()).isEqualTo(1);
        assertThat(f.firstSeen()).isEqualTo(at).isEqualTo(f.lastSeen());
    }
}
