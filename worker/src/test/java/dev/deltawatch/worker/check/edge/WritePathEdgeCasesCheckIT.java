package dev.deltawatch.worker.check.edge;

import static dev.deltawatch.worker.check.lock.LockTestSupport.applyFault;
import static dev.deltawatch.worker.check.lock.LockTestSupport.assertNothingLeftBehind;
import static dev.deltawatch.worker.check.lock.LockTestSupport.fastSettings;
import static dev.deltawatch.worker.check.lock.LockTestSupport.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
                .contains("pfa_update_delta: 1 MB string", "pfa_update_delta: nesting 100 deep",
                        "pfa_update_delta: wrong-type version", "pfa_update_delta: \\u0000 in a value");
    }

    @Test
    void errorsCarryingTheFunctionBodyLeakInternals() throws Exception {
        List<Finding> found = findings(run("lock/06_leaky_errors.sql"));
        assertThat(found).isNotEmpty().allSatisfy(f -> {
            assertThat(f.rule()).isEqualTo(WritePathEdgeCasesCheck.RULE_LEAK);
            assertThat(f.problem()).contains("SQL text of the function body");
        });
    }
}
