package dev.deltawatch.worker.check.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape of a plan: node types, relations and indexes in tree order, indented by depth; no costs, rows or
 * timings, so the same plan gives the same shape on every run and any difference is a real plan change.
 */
public final class PlanShape {
    private PlanShape() {}

    public static String of(PlanNode root) {
        List<String> lines = new ArrayList<>();
        add(root, 0, lines);
        return String.join("\n", lines);
    }

    /** The shapes of all parameter sets' plans, separated by a line naming the set. */
    public static String of(QueryMeasurement measured) {
        List<String> parts = new ArrayList<>();
        for (QueryMeasurement.ParamSetRuns set : measured.sets()) {
            parts.add("# parameter set " + (set.index() + 1) + "\n" + of(set.representative().root()));
        }
        return String.join("\n", parts);
    }

    /** The relations ({@code schema.name}) read anywhere in the measured plans. */
    public static Set<String> relations(QueryMeasurement measured) {
        Set<String> out = new LinkedHashSet<>();
        measured.sets().forEach(s -> s.representative().root().visit(n -> {
            if (n.qualifiedRelation() != null) {
                out.add(n.qualifiedRelation());
            }
        }));
        return out;
    }

    private static void add(PlanNode n, int depth, List<String> lines) {
        StringBuilder line = new StringBuilder("  ".repeat(depth)).append(n.nodeType());
        if (n.index() != null) {
            line.append(" using ").append(n.index());
        }
        if (n.relation() != null) {
            line.append(" on ").append(n.qualifiedRelation());
        }
        lines.add(line.toString());
        n.children().forEach(c -> add(c, depth + 1, lines));
    }
}
