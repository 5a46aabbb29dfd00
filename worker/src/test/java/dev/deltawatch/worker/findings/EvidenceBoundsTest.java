package dev.deltawatch.worker.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.Evidence;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EvidenceBoundsTest {

    @Test
    void cutsLongContentAtACodePointBoundaryAndMarksIt() {
        String emoji = "🚀".repeat(40_000); // 160 KB of 4-byte code points
        Evidence cut = EvidenceBounds.bound(Evidence.of("delta", "json", emoji));
        assertThat(cut.truncated()).isTrue();
        byte[] bytes = cut.content().getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isLessThanOrEqualTo(EvidenceBounds.MAX_CONTENT_BYTES).isGreaterThan(65_000);
        assertThat(cut.content()).isEqualTo("🚀".repeat(cut.content().length() / 2));
    }

    @Test
    void leavesSmallEvidenceAlone() {
        Evidence small = Evidence.of("plan", "plan", "Index Scan");
        assertThat(EvidenceBounds.bound(small)).isSameAs(small);
    }
}
