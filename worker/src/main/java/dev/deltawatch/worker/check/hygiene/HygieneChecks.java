package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.worker.check.Check;
import java.util.List;

/** The hygiene family: every check, built from one settings record. The registry and the CLI start here. */
public final class HygieneChecks {
    public static final String FAMILY = "hygiene";

    private HygieneChecks() {}

    /** All hygiene checks, cheapest first; the connection-pooling check blocks for its window. */
    public static List<Check> all(HygieneSettings settings) {
        return List.of(
                new TableFlawsCheck(settings),
                new IndexFlawsCheck(settings),
                new FunctionHygieneCheck(),
                new ReplicaIdentityCheck(),
                new GeneratedPredicateIndexCheck(),
                new StaleGeneratedValuesCheck(settings),
                new UnboundedResultsCheck(settings),
                new InactiveReplicationSlotCheck(settings),
                new ConnectionPoolingCheck(settings));
    }
}
