package dev.deltawatch.worker.check.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a plan node and its children the way {@code EXPLAIN (ANALYZE, BUFFERS, VERBOSE)} prints them in text,
 * so a finding shows the offending node in the form every DBRE reads. Covers the properties the rules look at;
 * exotic ones are left out rather than guessed.
 */
public final class PlanText {
    private static final String[] CONDITIONS = {"Hash Cond", "Merge Cond", "Index Cond", "Recheck Cond",
            "Join Filter", "Filter"};
    private static final String[] REMOVED = {"Rows Removed by Join Filter", "Rows Removed by Filter",
            "Rows Removed by Index Recheck"};

    private PlanText() {}

    public static String render(PlanNode node) {
        List<String> lines = new ArrayList<>();
        render(node, 0, lines);
        return String.join("\n", lines);
    }

    /** The whole plan plus the server's timing lines. */
    public static String render(ExplainedPlan plan) {
        return render(plan.root()) + "\n" + String.format(Locale.ROOT, "Planning Time: %.3f ms%nExecution Time: %.3f ms",
                plan.planningMs(), plan.executionMs());
    }

    /** The node's first line alone, e.g. {@code Seq Scan on public.pfa_records  (cost=...) (actual ...)}. */
    public static String header(PlanNode n) {
        StringBuilder h = new StringBuilder(n.nodeType());
        if (n.index() != null) {
            h.append("Bitmap Index Scan".equals(n.nodeType()) ? " on " : " using ").append(n.index());
        }
        if (n.relation() != null) {
            h.append(" on ").append(n.qualifiedRelation());
            if (n.alias() != null && !n.alias().equals(n.relation())) {
                h.append(' ').append(n.alias());
            }
        }
        h.append(String.format(Locale.ROOT, "  (cost=%.2f..%.2f rows=%.0f width=%.0f)", n.number("Startup Cost"),
                n.number("Total Cost"), n.planRows(), n.number("Plan Width")));
        if (n.get("Actual Loops") != null) {
            if (n.actualLoops() == 0) {
                h.append(" (never executed)");
            } else {
                h.append(String.format(Locale.ROOT, " (actual time=%.3f..%.3f rows=%.0f loops=%.0f)",
                        n.number("Actual Startup Time"), n.actualTotalMs(), n.actualRows(), n.actualLoops()));
            }
        }
        return h.toString();
    }

    private static void render(PlanNode n, int depth, List<String> out) {
        String detail = " ".repeat(depth == 0 ? 2 : 6 * depth + 2);
        out.add((depth == 0 ? "" : " ".repeat(6 * depth - 4) + "->  ") + header(n));
        list(n, "Output", detail, out);
        list(n, "Sort Key", detail, out);
        list(n, "Presorted Key", detail, out);
        if (n.sortMethod() != null) {
            out.add(detail + String.format(Locale.ROOT, "Sort Method: %s  %s: %.0fkB", n.sortMethod(),
                    "Disk".equals(n.sortSpaceType()) ? "Disk" : "Memory", n.sortSpaceUsedKb()));
        }
        for (String key : CONDITIONS) {
            if (n.text(key) != null) {
                out.add(detail + key + ": " + n.text(key));
            }
        }
        for (String key : REMOVED) {
            if (n.get(key) != null && n.number(key) > 0) {
                out.add(detail + key + ": " + (long) n.number(key));
            }
        }
        if (n.get("Exact Heap Blocks") != null) {
            out.add(detail + "Heap Blocks: exact=" + (long) n.exactHeapBlocks()
                    + (n.lossyHeapBlocks() > 0 ? " lossy=" + (long) n.lossyHeapBlocks() : ""));
        }
        if (n.get("Hash Batches") != null) {
            out.add(detail + String.format(Locale.ROOT, "Buckets: %.0f  Batches: %.0f (originally %.0f)  Memory Usage: %.0fkB",
                    n.number("Hash Buckets"), n.hashBatches(), n.number("Original Hash Batches"),
                    n.number("Peak Memory Usage")));
        }
        if (n.get("HashAgg Batches") != null) {
            out.add(detail + String.format(Locale.ROOT, "Batches: %.0f  Memory Usage: %.0fkB  Disk Usage: %.0fkB",
                    n.number("HashAgg Batches"), n.number("Peak Memory Usage"), n.number("Disk Usage")));
        }
        String buffers = buffers(n);
        if (!buffers.isEmpty()) {
            out.add(detail + "Buffers: " + buffers);
        }
        for (PlanNode child : n.children()) {
            render(child, depth + 1, out);
        }
    }

    private static String buffers(PlanNode n) {
        List<String> parts = new ArrayList<>();
        StringBuilder shared = new StringBuilder();
        appendCount(shared, "hit", n.sharedHitBlocks());
        appendCount(shared, "read", n.sharedReadBlocks());
        appendCount(shared, "dirtied", (long) n.number("Shared Dirtied Blocks"));
        if (shared.length() > 0) {
            parts.add("shared" + shared);
        }
        StringBuilder temp = new StringBuilder();
        appendCount(temp, "read", (long) n.number("Temp Read Blocks"));
        appendCount(temp, "written", n.tempWrittenBlocks());
        if (temp.length() > 0) {
            parts.add("temp" + temp);
        }
        return String.join(", ", parts);
    }

    private static void appendCount(StringBuilder sb, String label, long count) {
        if (count > 0) {
            sb.append(' ').append(label).append('=').append(count);
        }
    }

    private static void list(PlanNode n, String key, String indent, List<String> out) {
        JsonNode v = n.get(key);
        if (v != null && v.isArray() && !v.isEmpty()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.asText()));
            out.add(indent + key + ": " + String.join(", ", items));
        }
    }
}
