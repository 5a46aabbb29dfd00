package dev.deltawatch.worker.check.lock;

import static dev.deltawatch.worker.check.lock.LockTestSupport.assertNothingLeftBehind;
import static dev.deltawatch.worker.check.lock.LockTestSupport.fastSettings;
import static dev.deltawatch.worker.check.lock.LockTestSupport.findings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IsolationMatrixCheckIT {
    private static HikariDataSource ds;

    @BeforeAll
    static void install() {
        ds = TestInfrastructure.referenceTarget("isolation_matrix");
    }

    @AfterAll
    static void close() throws Exception {
        assertNothingLeftBehind(ds);
        ds.close();
    }

    @Test
    void postgresqlBehavesAsDocumentedAtEveryLevel() throws Exception {
        CheckContext context = TestInfrastructure.referenceContext(ds);
        IsolationMatrixCheck check = new IsolationMatrixCheck(fastSettings());
        List<CheckResult> results = check.run(context, CheckScope.all());
        IsolationMatrix m = check.lastMatrix();
        assertThat(findings(results)).as(m.toMarkdownTable()).isEmpty();
        assertThat(results).hasSize(30);
        assertThat(m.asMap().get("P4")).containsEntry("read committed", true).containsEntry("repeatable read", false);
        assertThat(m.asMap().get("G2-item")).containsEntry("repeatable read", true).containsEntry("serializable", false);
        assertThat(m.asMap().get("G0")).doesNotContainValue(true);
        assertThat(m.toMarkdownTable()).contains("| G-single | ANOMALY | prevented | prevented |");
    }

    @Test
    void aDifferenceFromTheDocumentationIsAFindingWithTheMatrix() throws Exception {
        // A server that let P4 through at repeatable read (what a transaction-mode pooler dropping the level shows).
        IsolationMatrix m = new IsolationMatrix(List.of(
                new IsolationMatrix.Cell("P4", "repeatable read", true, false, "T2 commit: ok"),
                new IsolationMatrix.Cell("P4", "read committed", true, true, ""),
                new IsolationMatrix.Cell("G2", "read committed", false, true, "T2 commit: ERROR 40001")));
        assertThat(m.differences()).extracting(IsolationMatrix.Cell::anomaly).containsExactly("P4", "G2");
        assertThat(m.toMarkdownTable()).contains("| P4 | ANOMALY (!) | ANOMALY |");
        List<dev.deltawatch.contracts.Finding> found = findings(new IsolationMatrixCheck(fastSettings())
                .results(TestInfrastructure.referenceContext(ds), m));
        assertThat(found).extracting(f -> f.subject().name() + " " + f.severity())
                .containsExactly("P4 at repeatable read HIGH", "G2 at read committed LOW");
        assertThat(found.get(0).evidence()).anySatisfy(e -> assertThat(e.format()).isEqualTo("table"));
    }
}
