package dev.deltawatch.worker.findings;

import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps published findings small: each evidence item's content is cut to {@link #MAX_CONTENT_BYTES} UTF-8 bytes
 * (at a code point boundary, {@code truncated=true}), and at most {@link #MAX_ITEMS} items are kept. A 1 MB
 * payload in a probe's evidence must not become a 1 MB Kafka message on a topic chat bots read.
 */
public final class EvidenceBounds {
    public static final int MAX_CONTENT_BYTES = 64 * 1024;
    public static final int MAX_ITEMS = 20;

    private EvidenceBounds() {}

    public static Finding bound(Finding finding) {
        List<Evidence> items = finding.evidence();
        boolean changed = items.size() > MAX_ITEMS;
        List<Evidence> bounded = new ArrayList<>(Math.min(items.size(), MAX_ITEMS));
        for (Evidence e : items.subList(0, Math.min(items.size(), MAX_ITEMS))) {
            Evidence b = bound(e);
            changed |= b != e;
            bounded.add(b);
        }
        if (!changed) {
            return finding;
        }
        return new Finding(finding.schemaVersion(), finding.fingerprint(), finding.family(), finding.rule(),
                finding.severity(), finding.status(), finding.title(), finding.target(), finding.subject(), bounded,
                finding.problem(), finding.fix(), finding.expectedImprovement(), finding.reproductionSql(),
                finding.trigger(), finding.firstSeen(), finding.lastSeen(), finding.occurrences(), finding.markdown());
    }

    static Evidence bound(Evidence e) {
        String cut = cutToBytes(e.content(), MAX_CONTENT_BYTES);
        return cut.length() == e.content().length() ? e : new Evidence(e.label(), e.format(), cut, true);
    }

    /** The longest prefix of {@code s} whose UTF-8 encoding fits {@code maxBytes}, never splitting a code point. */
    static String cutToBytes(String s, int maxBytes) {
        if (s.length() * 3L <= maxBytes || s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
