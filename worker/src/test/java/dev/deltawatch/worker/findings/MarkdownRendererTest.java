package dev.deltawatch.worker.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {
    private final MarkdownRenderer renderer = new MarkdownRenderer();

    @Test
    void rendersTheDbreReportSections() {
        String md = renderer.render(SampleFindings.seqScan());
        assertThat(md).startsWith("🔴 **BLOCKER:** Sequential scan on pfa_records")
                .contains("**Query:** `records-by-org-category`")
                .contains("**EXPLAIN ANALYZE**\n```\nSeq Scan on pfa_records")
                .contains("❌ **Problem:** No index serves")
                .contains("✅ **Fix:**\n```sql\nCREATE INDEX CONCURRENTLY idx_pfa_org_category")
                .contains("📊 **Expected improvement:** 1250 ms -> < 50 ms")
                .contains("🔁 **Reproduce:**\n```sql\nEXPLAIN (ANALYZE, BUFFERS)")
                .contains("SCHEMA_CHANGE `DROP INDEX public.idx_pfa_org_category` · LSN 0/16C0010 · tx 812");
    }

    @Test
    void staysUnderTheLimitWithAMegabyteOfEvidenceAndSaysItCut() {
        Finding huge = SampleFindings.hugeMergeMismatch(1_048_576);
        String md = renderer.render(huge);
        assertThat(md.length()).isLessThan(MarkdownRenderer.LIMIT);
        assertThat(md).contains("truncated: showing").contains("of 1,048,6").contains("❌ **Problem:**")
                .contains("🔁 **Reproduce:**");
        // Fences stay balanced, so the chat message renders as intended.
        assertThat(md.split("```", -1).length % 2).isEqualTo(1);
    }

    @Test
    void staysUnderTheLimitForSeededRandomFindings() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            StringBuilder b = new StringBuilder();
            int len = random.nextInt(20_000);
            for (int j = 0; j < len; j++) {
                b.append(random.nextInt(10) == 0 ? "```" : random.nextBoolean() ? "🔥" : "a\n");
            }
            var builder = SampleFindings.seqScan(dev.deltawatch.contracts.Severity.LOW, "1")
                    .title(b.substring(0, Math.min(b.length(), random.nextInt(1000))))
                    .problem(b.toString()).fix(b.toString()).reproductionSql(b.toString());
            for (int k = random.nextInt(30); k > 0; k--) {
                builder.evidence("item " + k, "json", b.toString());
            }
            String md = renderer.render(builder.build());
            assertThat(md.length()).as("case %d", i).isLessThan(MarkdownRenderer.LIMIT);
            assertThat(md.split("```", -1).length % 2).as("balanced fences, case %d", i).isEqualTo(1);
        }
    }

    @Test
    void resolvedAndRegressedSayWhatHappened() {
        Finding f = SampleFindings.seqScan();
        assertThat(renderer.render(f.withLifecycle(FindingStatus.RESOLVED, f.firstSeen(), f.lastSeen(), 3)))
                .startsWith("✅ RESOLVED · 🔴 **BLOCKER:**").contains("3 times");
        assertThat(renderer.render(f.withLifecycle(FindingStatus.REGRESSED, f.firstSeen(), f.lastSeen(), 4)))
                .startsWith("↩️ REGRESSED · ");
    }
}
