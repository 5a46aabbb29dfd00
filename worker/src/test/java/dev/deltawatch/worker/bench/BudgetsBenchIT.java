package dev.deltawatch.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.target.seed.Seeder;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The budgets harness measures every budget on a seeded target, and its full scan merges every row. */
class BudgetsBenchIT {
    @Test
    void measuresEachBudgetAndMergesEveryRowInTheFullScan() throws Exception {
        PostgresAddress db = TestInfrastructure.freshDatabase("budgets");
        new Seeder(db, null, false).seed(SeedOptions.of(2_000, 9, true));
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            Map<String, Object> out = BudgetsBench.measure(c, TargetCatalog.resolve(c, ReferenceTarget.config()),
                    2_000, new SplittableRandom(1));
            assertThat(out).containsEntry("rows", 2_000L).containsKeys("single_merge_p95_ms", "batch100_p95_ms",
                    "batch1000_max_ms", "full_scan_s", "single_ok", "batch100_ok", "batch1000_ok", "full_scan_ok");
            assertThat((Double) out.get("single_merge_p95_ms")).isPositive();
        }
    }

    @Test
    void p95IsTheNinetyFifthPercentileOfTheSamples() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;
        }
        assertThat(BudgetsBench.p95(values)).isEqualTo(95.0);
    }
}
