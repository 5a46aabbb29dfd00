package dev.deltawatch.worker.check.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.SqlIdentifiers;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * A sort, hash or hash aggregate that spilled to disk because it did not fit in {@code work_mem}: MEDIUM. Seen in
 * {@code Sort Space Type: Disk} (also in a parallel worker's figures), more than one hash batch, or a
 * spilling hash aggregate.
 */
public final class DiskSpillRule implements PlanRule {
    public static final String NAME = "disk-spill";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> judge(QueryMeasurement measured, RuleContext context) throws SQLException {
        for (QueryMeasurement.ParamSetRuns set : measured.sets()) {
            for (PlanNode node : set.representative().nodes()) {
                double spilledKb = spilledKb(node);
                if (spilledKb > 0) {
                    return List.of(violation(set, node, spilledKb, context.catalog().session()));
                }
            }
        }
        return List.of();
    }

    /** kB written to disk by this node (at least 1 when it spilled without saying how much), else 0. */
    static double spilledKb(PlanNode node) {
        double kb = 0;
        if ("Disk".equals(node.sortSpaceType())) {
            kb = Math.max(1, node.sortSpaceUsedKb());
        }
        JsonNode workers = node.get("Workers");
        if (workers != null && workers.isArray()) {
            for (JsonNode w : workers) {
                if ("Disk".equals(w.path("Sort Space Type").asText())) {
                    kb += Math.max(1, w.path("Sort Space Used").asDouble());
                }
            }
        }
        if (node.hashBatches() > 1 || node.number("HashAgg Batches") > 1 || node.number("Disk Usage") > 0) {
            kb += Math.max(1, Math.max(node.number("Disk Usage"), node.tempWrittenBlocks() * 8.0));
        }
        return kb;
    }

    private Violation violation(QueryMeasurement.ParamSetRuns set, PlanNode node, double spilledKb, String[] session) {
        String what = node.sortMethod() != null ? "sort (" + node.sortMethod() + ")" : node.nodeType().toLowerCase(Locale.ROOT);
        // An in-memory sort or hash needs a few times the space its compact on-disk form takes.
        long neededMb = Math.max(4, (long) Math.ceil(spilledKb * 3 / 1024));
        String fix = "ALTER ROLE " + SqlIdentifiers.quote(session[0]) + " SET work_mem = '" + neededMb + "MB';"
                + " (or SET LOCAL work_mem for this query's transaction, or an index that returns the rows already in order)";
        String problem = String.format(Locale.ROOT, "The %s spilled %.0f kB to temporary files: it did not fit in "
                + "work_mem (%s for role %s), so it reads and writes disk on every call.", what, spilledKb, session[1],
                session[0]);
        return new Violation(NAME, Severity.MEDIUM, String.format(Locale.ROOT, "%s spills %.0f kB to disk",
                capitalize(what), spilledKb), problem, fix, "the " + what + " runs in memory", set, node, List.of(), null);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
