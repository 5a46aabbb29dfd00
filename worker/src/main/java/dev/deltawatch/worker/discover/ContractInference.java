package dev.deltawatch.worker.discover;

import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.worker.check.MergeCall;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Infers the merge contract a target's merge implements today, from what it returns on the adversarial battery
 * (run in a read-only transaction). Being built (issue #17); until then it answers the reference contract and
 * says that nothing was inferred.
 */
public final class ContractInference {

    /**
     * @param contract    per dimension, the contract value the function implements (the closest where none fits)
     * @param reasons     per dimension name (objects, deltaNull, arrays, sqlNull, typeCoercion), what was seen
     * @param unexplained cases the chosen contract does not explain, for a TODO comment; empty when it fits
     */
    public record Inferred(MergeContract contract, Map<String, String> reasons, List<String> unexplained) {}

    private ContractInference() {}

    public static Inferred infer(Connection connection, MergeCall merge) throws SQLException {
        return new Inferred(MergeContract.reference(), Map.of(), List.of("contract inference is not built yet"));
    }
}
