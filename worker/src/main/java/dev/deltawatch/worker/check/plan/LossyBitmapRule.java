package dev.deltawatch.worker.check.plan;

import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.SqlIdentifiers;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * A bitmap heap scan whose bitmap went lossy (it outgrew {@code work_mem} and now remembers pages, not rows), so
 * every row of those pages is rechecked: LOW.
 */
public final class LossyBitmapRule implements PlanRule {
    public static final String NAME = "lossy-bitmap";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Violation> judge(QueryMeasurement measured, RuleContext context) throws SQLException {
        for (QueryMeasurement.ParamSetRuns set : measured.sets()) {
            for (PlanNode node : set.representative().nodes()) {
                if (node.lossyHeapBlocks() > 0) {
                    String[] session = context.catalog().session();
                    String problem = String.format(Locale.ROOT, "%s on %s went lossy on %.0f of %.0f heap blocks: their "
                            + "rows are rechecked (%d removed by index recheck). work_mem is %s.", node.nodeType(),
                            node.qualifiedRelation(), node.lossyHeapBlocks(),
                            node.lossyHeapBlocks() + node.exactHeapBlocks(),
                            (long) node.number("Rows Removed by Index Recheck"), session[1]);
                    return List.of(new Violation(NAME, Severity.LOW, String.format(Locale.ROOT,
                            "Lossy bitmap heap scan on %s", node.qualifiedRelation()), problem,
                            "ALTER ROLE " + SqlIdentifiers.quote(session[0]) + " SET work_mem = '" + 4 * 1024 + "kB';"
                                    + " (the bitmap stays exact when it fits; or make the condition more selective)",
                            "an exact bitmap: no recheck of whole pages", set, node, List.of(), null));
                }
            }
        }
        return List.of();
    }
}
