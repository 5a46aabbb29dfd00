package dev.deltawatch.worker.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.MergeContract;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.discover.ContractInference.Inferred;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.FaultCatalog;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Contract inference on real PostgreSQL: each example target's merge gives back the contract its hand-written config
 * declares, with nothing unexplained; each fault that changes the merge gives a contract that differs in the
 * dimension the fault broke, or (where no contract describes the faulty function) lists what it cannot explain; a
 * merge that writes fails inference without writing.
 */
class ContractInferenceIT {
    /** What inference must show per merge fault: the dimension it broke, "unexplained", or "unchanged". */
    private static final Map<String, String> BROKEN = new LinkedHashMap<>();

    static {
        BROKEN.put("faults/merge/01_shallow_merge.sql", "objects");
        BROKEN.put("faults/merge/02_delta_null_deletes.sql", "deltaNull");
        BROKEN.put("faults/merge/03_arrays_appended.sql", "arrays");
        // typeCoercion has one value (none): a coercing function is no contract, so its cases are listed and the
        // typeCoercion reason says the function coerces.
        BROKEN.put("faults/merge/04_string_zero_coerced.sql", "typeCoercion");
        BROKEN.put("faults/merge/05_null_delta_yields_null.sql", "sqlNull");
        // The merge is untouched (generated column) or returns the same values (volatility): nothing to infer.
        BROKEN.put("faults/merge/06_generated_category_from_mirror.sql", "unchanged");
        BROKEN.put("faults/merge/07_immutable_reads_table.sql", "unchanged");
        // The mirror wins over the delta: no contract has that.
        BROKEN.put("faults/hygiene/10_merge_function_redefined.sql", "unexplained");
        BROKEN.put("faults/overrides/merge/01_shallow_merge.sql", "objects");
        BROKEN.put("faults/overrides/merge/02_strict_merge.sql", "sqlNull");
        BROKEN.put("faults/overrides/merge/03_arguments_swapped.sql", "unexplained");
        BROKEN.put("faults/overrides/merge/04_generated_locale_wrong_path.sql", "unchanged");
        BROKEN.put("faults/drafts/merge/01_generated_category_wrong_path.sql", "unchanged");
        BROKEN.put("faults/drafts/merge/02_generated_brand_lowercased.sql", "unchanged");
        BROKEN.put("faults/drafts/merge/03_generated_category_immutable_lookup.sql", "unchanged");
    }

    @Test
    void recoversTheDeclaredContractOfEveryExampleTarget() throws Exception {
        for (ExampleTarget target : ExampleTargets.ALL) {
            PostgresAddress db = TestInfrastructure.freshDatabase("infer_" + target.name());
            try (HikariDataSource ds = Database.pool(db, "test", 2)) {
                target.install(ds);
                MergeContract declared = target.config().merge().contract();
                try (Connection c = ds.getConnection()) {
                    ResolvedTarget resolved = TargetCatalog.resolve(c, target.config());
                    long start = System.nanoTime();
                    Inferred unconstrained = ContractInference.infer(c, resolved.merge());
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    Inferred withSchema = ContractInference.infer(c, resolved.merge(), resolved.inputDomain());
                    System.out.printf("[infer] %s: %s in %d ms%n%s%n", target.name(), unconstrained.contract(), millis,
                            unconstrained.reasons());
                    for (Inferred inferred : List.of(unconstrained, withSchema)) {
                        assertThat(inferred.contract()).as(target.name()).isEqualTo(declared);
                        assertThat(inferred.unexplained()).as(target.name()).isEmpty();
                        assertThat(inferred.reasons()).as(target.name())
                                .containsOnlyKeys("objects", "deltaNull", "arrays", "sqlNull", "typeCoercion");
                    }
                    assertThat(c.getAutoCommit()).isTrue();
                }
            }
        }
    }

    @Test
    void eachMergeFaultChangesTheDimensionItBrokeOrIsListedAsUnexplained() throws Exception {
        List<String> table = new ArrayList<>();
        for (ExampleTarget target : ExampleTargets.ALL) {
            PostgresAddress template = TestInfrastructure.freshDatabase("infer_tpl_" + target.name());
            try (HikariDataSource ds = Database.pool(template, "test", 2)) {
                target.install(ds);
            }
            MergeContract declared = target.config().merge().contract();
            for (String fault : faults(target)) {
                String expected = BROKEN.get(fault);
                assertThat(expected).as("no expectation written for " + fault).isNotNull();
                Inferred inferred = inferAfter(TestInfrastructure.copyOf(template, "infer_fault"), target, fault);
                List<String> differing = differing(declared, inferred.contract());
                table.add("| " + fault + " | " + differing + " | " + inferred.contract() + " | "
                        + inferred.unexplained().size() + " | " + (inferred.unexplained().isEmpty() ? ""
                        : inferred.unexplained().get(0) + " " + inferred.unexplained().get(inferred.unexplained().size()
                        - 1)) + " |");
                switch (expected) {
                    case "unchanged" -> {
                        assertThat(inferred.contract()).as(fault).isEqualTo(declared);
                        assertThat(inferred.unexplained()).as(fault).isEmpty();
                    }
                    case "unexplained" -> assertThat(inferred.unexplained()).as(fault).isNotEmpty();
                    case "typeCoercion" -> {
                        assertThat(inferred.unexplained()).as(fault).isNotEmpty();
                        assertThat(inferred.reasons().get("typeCoercion")).as(fault).contains("the function coerces");
                    }
                    default -> assertThat(differing).as(fault + ": " + inferred.reasons()).contains(expected);
                }
            }
        }
        System.out.println("[infer] fault | differing | inferred | unexplained\n" + String.join("\n", table));
    }

    @Test
    void aMergeThatWritesFailsInferenceAndWritesNothing() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("infer_writes");
             Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE merge_calls (at timestamptz DEFAULT now())");
            s.execute("""
                    CREATE OR REPLACE FUNCTION pfa_merge(mirror jsonb, delta jsonb) RETURNS jsonb
                        LANGUAGE plpgsql VOLATILE AS $$
                    BEGIN
                        INSERT INTO merge_calls DEFAULT VALUES;
                        RETURN coalesce(mirror, '{}') || coalesce(delta, '{}');
                    END $$""");
            ResolvedTarget resolved = TargetCatalog.resolve(c, ExampleTargets.REFERENCE.config());
            assertThatThrownBy(() -> ContractInference.infer(c, resolved.merge()))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"))
                    .hasMessageStartingWith("pfa_merge writes to the database (on adversarial null-mirror (or one of the ")
                    .hasMessageContaining("25006: ERROR: cannot execute INSERT in a read-only transaction")
                    .hasMessageContaining("read-only transaction");
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(count(s, "merge_calls")).isZero();

            // Inside the caller's transaction: the same refusal, and the caller's transaction goes on read-write.
            s.execute("CREATE TABLE caller_work (n int)");
            c.setAutoCommit(false);
            s.execute("INSERT INTO caller_work VALUES (1)");
            assertThatThrownBy(() -> ContractInference.infer(c, resolved.merge()))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            s.execute("INSERT INTO caller_work VALUES (2)");
            c.commit();
            c.setAutoCommit(true);
            assertThat(count(s, "caller_work")).isEqualTo(2);
            assertThat(count(s, "merge_calls")).isZero();
        }
    }

    @Test
    void insideACallersTransactionInferenceLeavesItReadWriteWithItsWork() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("infer_in_tx");
             Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            ResolvedTarget resolved = TargetCatalog.resolve(c, ExampleTargets.REFERENCE.config());
            s.execute("CREATE TABLE caller_work (n int)");
            c.setAutoCommit(false);
            s.execute("INSERT INTO caller_work VALUES (1)");
            Inferred inferred = ContractInference.infer(c, resolved.merge(), resolved.inputDomain());
            assertThat(inferred.contract()).isEqualTo(MergeContract.reference());
            assertThat(inferred.unexplained()).isEmpty();
            s.execute("INSERT INTO caller_work VALUES (2)");
            try (ResultSet rs = s.executeQuery("SELECT current_setting('transaction_read_only'), "
                    + "current_setting('statement_timeout')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("off");
                assertThat(rs.getString(2)).isEqualTo("0");
            }
            c.commit();
            c.setAutoCommit(true);
            assertThat(count(s, "caller_work")).isEqualTo(2);
        }
    }

    private static long count(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aMergeThatDoesNotFinishOrAlwaysRaisesFailsInferenceWithTheCause() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("infer_slow");
             Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE OR REPLACE FUNCTION pfa_merge(mirror jsonb, delta jsonb) RETURNS jsonb
                        LANGUAGE plpgsql IMMUTABLE AS $$
                    BEGIN
                        PERFORM pg_sleep(60);
                        RETURN mirror;
                    END $$""");
            ResolvedTarget resolved = TargetCatalog.resolve(c, ExampleTargets.REFERENCE.config());
            assertThatThrownBy(() -> ContractInference.infer(c, resolved.merge()))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"))
                    .hasMessageStartingWith("pfa_merge did not finish within the statement timeout on adversarial ");
            s.execute("""
                    CREATE OR REPLACE FUNCTION pfa_merge(mirror jsonb, delta jsonb) RETURNS jsonb
                        LANGUAGE plpgsql IMMUTABLE AS $$
                    BEGIN
                        RAISE EXCEPTION 'merge is disabled';
                    END $$""");
            assertThatThrownBy(() -> ContractInference.infer(c, resolved.merge()))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("P0001"))
                    .hasMessageStartingWith("pfa_merge raised on every case of the battery, so no contract can be "
                            + "inferred; first on adversarial null-mirror: P0001: ERROR: merge is disabled");
        }
    }

    /** The catalog's merge-family faults, and for the reference target (no index) its merge faults and hygiene 10. */
    private static List<String> faults(ExampleTarget target) {
        if (target == ExampleTargets.REFERENCE) {
            return BROKEN.keySet().stream().filter(f -> f.startsWith("faults/merge/") || f.startsWith("faults/hygiene/"))
                    .toList();
        }
        return target.faults().faults().stream().filter(f -> f.family().equals("merge"))
                .map(FaultCatalog.Fault::resource).toList();
    }

    private static Inferred inferAfter(PostgresAddress db, ExampleTarget target, String fault) throws Exception {
        try (HikariDataSource ds = Database.pool(db, "test", 2); Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute(read(fault));
            }
            return ContractInference.infer(c, TargetCatalog.resolve(c, target.config()).merge());
        }
    }

    private static List<String> differing(MergeContract a, MergeContract b) {
        List<String> out = new ArrayList<>();
        for (ContractDimension d : ContractDimension.values()) {
            if (d.of(a) != d.of(b)) {
                out.add(d.key().startsWith("sqlNull") ? "sqlNull" : d.key());
            }
        }
        return out.stream().distinct().toList();
    }

    private static String read(String resource) throws Exception {
        try (InputStream in = ContractInferenceIT.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
