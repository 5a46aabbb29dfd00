package dev.deltawatch.worker.check.edge;

import static dev.deltawatch.worker.check.lock.LockTestSupport.applyFault;
import static dev.deltawatch.worker.check.lock.LockTestSupport.assertNothingLeftBehind;
import static dev.deltawatch.worker.check.lock.LockTestSupport.fastSettings;
import static dev.deltawatch.worker.check.lock.LockTestSupport.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WritePathEdgeCasesCheckIT {
    private HikariDataSource ds;

    @AfterEach
    void nothingLeftBehind() throws Exception {
        if (ds != null) {
            assertNothingLeftBehind(ds);
            try (Connection c = ds.getConnection(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT to_regclass('pfa_records') IS NOT NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("pfa_records survived the injection strings").isTrue();
            }
            ds.close();
        }
    }

    private List<CheckResult> run(String fault) throws Exception {
        ds = TestInfrastructure.referenceTarget(fault == null ? "edge_clean" : "edge_fault");
        if (fault != null) {
            applyFault(ds, fault);
        }
        return new WritePathEdgeCasesCheck(fastSettings()).run(TestInfrastructure.referenceContext(ds),
                CheckScope.all());
    }

    @Test
    void cleanWritePathStoresOrCleanlyRefusesEveryPayload() throws Exception {
        List<CheckResult> results = run(null);
        assertThat(findings(results)).isEmpty();
        assertThat(results).extracting(r -> r.subject().name())
                .contains("1 MB string", "nesting 100 deep",
                        "wrong-type version", "\\u0000 in a value");
    }

    /**
     * The write function merges the patch with pfa_merge; with merge/02 that function deletes a key on JSON null. The
     * stored delta differs from the contract because the merge function does: MEDIUM, pointing at the merge family,
     * never a HIGH of the write path's own (the write path stored exactly what the function returns).
     */
    @Test
    void aWritePathStoringTheBrokenMergeFunctionsResultIsNotItsOwnDefect() throws Exception {
        List<Finding> altered = findings(run("merge/02_delta_null_deletes.sql")).stream()
                .filter(f -> f.rule().equals(WritePathEdgeCasesCheck.RULE_ALTERED)).toList();
        assertThat(altered).isNotEmpty().allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            assertThat(f.problem()).startsWith("The write path stored what the merge function returns");
            assertThat(f.evidence().get(0).content()).contains("the merge function on (delta, patch): ");
            assertThat(f.fix()).startsWith("Fix the merge function");
        });
    }

    @Test
    void errorsCarryingTheFunctionBodyLeakInternals() throws Exception {
        List<Finding> found = findings(run("lock/06_leaky_errors.sql"));
        assertThat(found).isNotEmpty().allSatisfy(f -> {
            assertThat(f.rule()).isEqualTo(WritePathEdgeCasesCheck.RULE_LEAK);
            assertThat(f.problem()).contains("SQL text of the function body");
        });
    }

    /** Each leak variant is flagged on the null-patch cases, naming what leaked and where, with an excerpt. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "edge/01_error_echoes_statement.sql   | the caller's statement text | message | SELECT",
            "edge/02_error_names_backend_pid.sql  | the backend pid             | detail  | backend",
            "edge/03_error_names_roles.sql        | a role name                 | hint    | connected as",
            "edge/04_error_shows_file_path.sql    | a file path                 | detail  | see the server log under /",
            "edge/05_error_quotes_function_body.sql | SQL text of the function body | hint | patches merge as"})
    void errorsLeakingInternalsAreFlaggedWithWhatLeakedAndWhere(String fault, String kind, String field,
                                                                  String excerpt) throws Exception {
        List<Finding> found = findings(run(fault));
        assertThat(found).as("only the null-patch cases fail, each with a leak")
                .extracting(f -> f.subject().name())
                .containsExactlyInAnyOrder("null patch", "JSON null patch");
        assertThat(found).allSatisfy(f -> {
            assertThat(f.rule()).isEqualTo(WritePathEdgeCasesCheck.RULE_LEAK);
            assertThat(f.problem()).contains(kind);
            assertThat(f.evidence().get(0).content()).contains("leaked:\n  " + kind + " in the " + field + ": ")
                    .contains(excerpt);
        });
    }
}
