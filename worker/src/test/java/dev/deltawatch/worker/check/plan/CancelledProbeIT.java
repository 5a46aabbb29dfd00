package dev.deltawatch.worker.check.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.check.CheckRunner;
import dev.deltawatch.worker.check.merge.DifferentialMergeCheck;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A budget probe cancelled by a statement timeout shorter than its budget was never measured: under our own
 * concurrent load (a merge scan on the same cores) the full-scan probe is cancelled, and the audit is an ERROR run
 * naming it, never a HIGH latency finding it has no figure for.
 */
class CancelledProbeIT {

    @Test
    void aProbeCancelledBeforeItsBudgetUnderOurOwnLoadIsAnErrorNotAHighFinding() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("plan_cancelled_probe")) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                // Enough merging that a full scan takes far longer than the forced 500 ms timeout (seconds).
                s.execute("INSERT INTO pfa_records (organization_id, mirror_json, delta_json) SELECT 'RIO', "
                        + "jsonb_build_object('category', 'Cranes', 'qty', g, 'notes', repeat('n', 400), 'forecast', "
                        + "jsonb_build_object('start', '2024-01-01', 'end', '2024-12-31', 'deep', jsonb_build_object("
                        + "'a', g, 'b', jsonb_build_array(1, 2, 3)))), jsonb_build_object('category', 'Trucks', "
                        + "'forecast', jsonb_build_object('start', '2025-01-01')) FROM generate_series(1, 100000) g");
                s.execute("ANALYZE pfa_records");
            }
            CheckContext normal = TestInfrastructure.referenceContext(ds);
            CheckContext shortTimeout = new CheckContext(normal.target(), ds, Clock.systemUTC(), null,
                    Duration.ofMillis(500), null);
            ExecutorService load = Executors.newSingleThreadExecutor();
            try {
                Future<?> mergeScan = load.submit(() -> new DifferentialMergeCheck().run(normal, CheckScope.all()));
                CheckExecution audit = new CheckRunner(Clock.systemUTC()).run(new PlanAuditCheck(
                        PlanAuditSettings.defaults().withRuns(1, 0), new InMemoryBaselineStore()), shortTimeout,
                        CheckScope.all());
                mergeScan.get();

                assertThat(audit.run().outcome()).as(String.valueOf(audit.run().error()))
                        .isEqualTo(CheckRun.Outcome.ERROR);
                assertThat(audit.run().error()).contains("latency budget not judged: probe:pfa_records:full-scan not measured")
                        .contains("statement_timeout (500 ms) before its 30000 ms budget ran out");
                assertThat(audit.findings()).isEmpty();
            } finally {
                load.shutdownNow();
            }
        }
    }

    @Test
    void aProbeThatOutlastsItsWholeBudgetIsStillAFinding() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("plan_overrun_probe")) {
            CheckContext normal = TestInfrastructure.referenceContext(ds);
            // pg_sleep makes a registered-style query outlast both its 50 ms budget and the 100 ms timeout.
            CheckContext shortTimeout = new CheckContext(normal.target(), ds, Clock.systemUTC(), null,
                    Duration.ofMillis(100), null);
            AuditQuery slow = new AuditQuery("slow", "SELECT pg_sleep(0.5)", java.util.List.of(java.util.List.of()), 50,
                    dev.deltawatch.contracts.TargetConfig.RegisteredQuery.Kind.READ, 1, false);
            PlanAuditReport report = new PlanAuditor(PlanAuditSettings.defaults().withRuns(1, 0),
                    new InMemoryBaselineStore()).audit(shortTimeout, new PlanAuditCheck(PlanAuditSettings.defaults(),
                    new InMemoryBaselineStore()), java.util.List.of(slow), java.util.List.of());
            assertThat(report.failures()).singleElement().satisfies(r -> {
                assertThat(r.rule()).isEqualTo(LatencyBudgetRule.NAME);
                assertThat(r.finding().title()).contains("Cancelled by statement_timeout");
            });
        }
    }
}
