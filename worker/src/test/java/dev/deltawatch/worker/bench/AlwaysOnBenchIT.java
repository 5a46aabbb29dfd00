package dev.deltawatch.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bench always-on} at a tiny size (5,000 records, one pair of 5 s rounds, one fault): its JSON line holds
 * every field with a sane value, and the fault injected under load was found. No timing is asserted: the figures
 * depend on the machine.
 */
class AlwaysOnBenchIT {
    private static final List<String> FIELDS = List.of("pg_cpu_s_workload", "pg_cpu_s_with_deltawatch",
            "pg_overhead_ratio", "workload_p95_ms_without", "workload_p95_ms_with", "workload_p95_ratio",
            "detect_p50_ms", "detect_p95_ms", "detected", "injected", "worker_rss_mb_max", "worker_rss_mb_first_min",
            "worker_rss_mb_last_min", "worker_cpu_s", "changes_lag_max_s", "validate_lag_max_records", "quiet_s",
            "pg_overhead_ratio_quiet");

    @Test
    void printsEveryFigureAndFindsTheFaultInjectedUnderLoad() throws Exception {
        AlwaysOnBench.Settings settings = new AlwaysOnBench.Settings(5_000, 20, 5, Duration.ofSeconds(5), 1, 1,
                Duration.ofSeconds(90), 7, false, Arrays.asList(AlwaysOnBench.DOCKERFILE_JVM.split(" ")),
                Duration.ofMinutes(3));

        Map<String, Object> out = AlwaysOnBench.measure(TestInfrastructure.postgres(), TestInfrastructure.kafka(),
                settings, new PrintStream(System.err, true));

        assertThat(out).containsKeys(FIELDS.toArray(String[]::new));
        for (String ratio : List.of("pg_overhead_ratio", "workload_p95_ratio")) {
            assertThat(Double.isFinite((Double) out.get(ratio))).as(ratio + " in " + out).isTrue();
        }
        assertThat((Double) out.get("pg_cpu_s_workload")).as("%s", out).isPositive();
        assertThat((Double) out.get("pg_cpu_s_with_deltawatch")).as("%s", out).isPositive();
        assertThat((Double) out.get("workload_p95_ms_without")).as("%s", out).isPositive();
        assertThat((Double) out.get("workload_p95_ms_with")).as("%s", out).isPositive();
        assertThat(out.get("injected")).as("%s", out).isEqualTo(1L);
        assertThat(out.get("detected")).as("%s", out).isEqualTo(out.get("injected"));
        assertThat((Long) out.get("detect_p95_ms")).as("%s", out).isGreaterThanOrEqualTo(0L);
        assertThat((Double) out.get("worker_rss_mb_max")).as("%s", out).isPositive();
        assertThat((Double) out.get("worker_cpu_s")).as("%s", out).isPositive();
        assertThat((Double) out.get("changes_lag_max_s")).as("%s", out).isGreaterThanOrEqualTo(0.0);
        assertThat((Long) out.get("validate_lag_max_records")).as("%s", out).isGreaterThanOrEqualTo(0L);
        // The quiet seconds are part of the 5 s round: those before the fault (none after it: the settling time
        // after a revert is longer than the round).
        assertThat((Double) out.get("quiet_s")).as("%s", out).isBetween(0.0, 5.0);
    }
}
