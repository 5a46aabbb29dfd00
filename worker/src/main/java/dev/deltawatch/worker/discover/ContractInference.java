package dev.deltawatch.worker.discover;

import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.worker.check.MergeCall;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.merge.MergeEvidence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Infers the merge contract a target's merge implements today, from what it returns on the merge battery's inputs
 * ({@link MergeEvidence}: adversarial, systematic kind × kind, seeded generated pairs). Every expressible contract
 * (objects × deltaNull × arrays × SQL NULL per side; coercion has one value) is held against the results with the
 * merge family's oracle, and the one explaining the most cases wins ({@link ContractFit}); each dimension carries
 * the cases that decided it, and the cases the winner does not explain are listed, never dropped: a function no
 * contract describes gets the closest contract and its counterexamples, not a silent guess.
 *
 * <p>The merge runs READ ONLY with a statement timeout (its own transaction, or a savepoint in the caller's), rolled
 * back at the end: a merge that writes fails inference (SQLSTATE 25006, naming the function) instead of writing.
 */
public final class ContractInference {
    private static final Logger LOG = LoggerFactory.getLogger(ContractInference.class);
    /** Per statement (up to 100 cases); a normal merge needs a few milliseconds for all of them. */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * @param contract    per dimension, the contract value the function implements (the closest where none fits)
     * @param reasons     per dimension name (objects, deltaNull, arrays, sqlNull, typeCoercion), what was seen
     * @param unexplained cases the chosen contract does not explain, for a TODO comment; empty when it fits
     */
    public record Inferred(MergeContract contract, Map<String, String> reasons, List<String> unexplained) {}

    private ContractInference() {}

    /** Infers with every input counted as evidence (no schema at hand, or none that constrains the columns). */
    public static Inferred infer(Connection connection, MergeCall merge) throws SQLException {
        return infer(connection, merge, ResolvedTarget.InputDomain.unconstrained());
    }

    /** In a transaction of its own, rolled back; the connection is left in autocommit mode as found. */
    private static List<MergeEvidence.Observation> inOwnTransaction(Connection c, MergeCall merge,
                                                                     ResolvedTarget.InputDomain domain)
            throws SQLException {
        c.setAutoCommit(false);
        try {
            return readOnly(c, merge, domain);
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /**
     * Inside the caller's transaction: read-only and the timeout are set in a savepoint and undone with it, so the
     * caller's transaction goes on as it was (read-write, its own work intact).
     */
    private static List<MergeEvidence.Observation> inSavepoint(Connection c, MergeCall merge,
                                                                ResolvedTarget.InputDomain domain) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try {
            return readOnly(c, merge, domain);
        } finally {
            c.rollback(sp);
            c.releaseSavepoint(sp);
        }
    }

    private static List<MergeEvidence.Observation> readOnly(Connection c, MergeCall merge,
                                                            ResolvedTarget.InputDomain domain) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION READ ONLY");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
            ps.setString(1, STATEMENT_TIMEOUT.toMillis() + "ms");
            ps.execute();
        }
        return MergeEvidence.observe(c, merge, domain);
    }

    /**
     * Infers the contract; inputs {@code domain} rules out (a NULL in a NOT NULL column, a non-object where a CHECK
     * pins objects) only break ties and are never listed as unexplained.
     *
     * @param connection in autocommit mode (inference opens its own transaction and rolls it back) or inside a
     *                   transaction (inference runs in a savepoint and rolls back to it; the transaction stays usable)
     * @throws SQLException when the merge writes (25006), does not finish within {@link #STATEMENT_TIMEOUT} (57014)
     *                      or cannot be called at all
     */
    public static Inferred infer(Connection connection, MergeCall merge, ResolvedTarget.InputDomain domain)
            throws SQLException {
        long start = System.nanoTime();
        List<MergeEvidence.Observation> observations = connection.getAutoCommit()
                ? inOwnTransaction(connection, merge, domain) : inSavepoint(connection, merge, domain);
        if (observations.stream().allMatch(MergeEvidence.Observation::raised)) {
            String error = observations.get(0).error();
            String state = error.indexOf(':') == 5 ? error.substring(0, 5) : null;
            throw new SQLException(merge.displayName() + " raised on every case of the battery, so no contract can be "
                    + "inferred; first on " + observations.get(0).name() + ": " + error, state);
        }
        long evaluated = System.nanoTime();
        ContractFit fit = new ContractFit(observations);
        MergeContract best = fit.best();
        FitReasons reasons = new FitReasons(fit, best);
        Inferred inferred = new Inferred(best, reasons.reasons(), reasons.unexplained());
        LOG.debug("[discover] {}: {} cases evaluated in {} ms, contract fitted in {} ms", merge.displayName(),
                observations.size(), (evaluated - start) / 1_000_000, (System.nanoTime() - evaluated) / 1_000_000);
        return inferred;
    }
}
