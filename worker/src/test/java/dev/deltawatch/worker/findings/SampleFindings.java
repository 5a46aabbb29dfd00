package dev.deltawatch.worker.findings;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.Trigger;
import java.time.Instant;

/** Findings as checks build them, for lifecycle, rendering and publishing tests. */
public final class SampleFindings {
    public static final String TARGET = "pfa-reference";
    public static final Subject QUERY = new Subject("query", "records-by-org-category");
    public static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private SampleFindings() {}

    public static FindingBuilder seqScan(Severity severity, String planTiming) {
        return seqScan(QUERY, severity, planTiming);
    }

    /** The same defect on another registered query: another finding. */
    public static FindingBuilder seqScan(Subject query, Severity severity, String planTiming) {
        return new FindingBuilder("plan", "seq-scan-large-relation", severity, TARGET, query)
                .title("Sequential scan on pfa_records (1,000,000 rows)")
                .evidence("EXPLAIN ANALYZE", "plan", "Seq Scan on pfa_records (cost=0.00..25000.00 rows=100 width=1024)"
                        + " (actual time=" + planTiming + " rows=150 loops=1)\n  Filter: ((organization_id = 'HOLNG')"
                        + " AND (merged_category = 'Cranes'))\n  Rows Removed by Filter: 999850")
                .problem("No index serves (organization_id, merged_category): the query reads all 1M rows.")
                .fix("CREATE INDEX CONCURRENTLY idx_pfa_org_category ON pfa_records (organization_id, merged_category);")
                .expectedImprovement("1250 ms -> < 50 ms")
                .reproductionSql("EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM pfa_records WHERE organization_id = 'HOLNG'"
                        + " AND merged_category = 'Cranes' LIMIT 100;")
                .trigger(new Trigger(Trigger.Reason.SCHEMA_CHANGE, "0/16C0010:0", "0/16C0010", 812L,
                        "DROP INDEX public.idx_pfa_org_category"))
                .observedAt(T0);
    }

    public static Finding seqScan() {
        return seqScan(Severity.BLOCKER, "0.01..1250.43").build();
    }

    /** A merge mismatch whose evidence carries {@code payloadChars} characters of a delta (the 1 MB case). */
    public static Finding hugeMergeMismatch(int payloadChars) {
        String notes = "x".repeat(payloadChars);
        return new FindingBuilder("merge", "merged-value-mismatch", Severity.HIGH, TARGET,
                new Subject("record", "public.pfa_records/42"))
                .title("pfa_merge disagrees with the merge contract at $.notes")
                .evidence("first differing path", "text", "$.notes")
                .evidence("JSON diff", "json", "{\"path\":\"$.notes\",\"expected\":\"" + notes + "\",\"actual\":null}")
                .evidence("delta", "json", "{\"notes\":\"" + notes + "\"}")
                .problem("A 1 MB string in the delta is dropped by the merge function.")
                .fix("CREATE OR REPLACE FUNCTION pfa_merge(...) -- keep long strings")
                .reproductionSql("SELECT pfa_merge('{}'::jsonb, jsonb_build_object('notes', repeat('x', 1000000)));")
                .observedAt(T0).build();
    }
}
