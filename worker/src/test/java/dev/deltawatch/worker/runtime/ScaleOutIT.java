package dev.deltawatch.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.testing.TestInfrastructure;
import dev.deltawatch.worker.testing.TestWorkerConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Two validate workers in one consumer group share the changes: each is checked once, each finding announced once. */
class ScaleOutIT {

    @Test
    void twoValidateWorkersCheckEachChangeOnceAndAnnounceEachFindingOnce() throws Exception {
        String name = "so" + System.nanoTime() % 1_000_000;
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("scale_out_" + name)) {
            CaptureInstaller.install(ds, ReferenceTarget.config(), CaptureSettings.defaults().withNames(name, name,
                    name + ".changes", "deltawatch.capture.offsets." + name));
            // The broken write path is in place before capture starts, so the only changes are the 60 edits below.
            String fault = new String(ScaleOutIT.class.getResourceAsStream(
                    "/faults/lock/02_version_not_incremented.sql").readAllBytes(), StandardCharsets.UTF_8);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO pfa_records (organization_id, mirror_json) SELECT 'RIO', "
                        + "jsonb_build_object('category', 'Trucks', 'n', g) FROM generate_series(1, 60) g");
                s.execute(fault);
            }
            String yaml = TestWorkerConfig.yaml(name, ds.getJdbcUrl(), 0);
            WorkerConfig captureAndValidate = WorkerConfigLoader.parse(yaml, "a", Map.of(), List.of());
            WorkerConfig validateOnly = WorkerConfigLoader.parse(yaml + "  roles: validate\n", "b", Map.of(), List.of());
            PostgresAddress pg = new PostgresAddress(ds.getJdbcUrl(), "postgres", "");
            try (WorkerRuntime a = WorkerRuntime.start(captureAndValidate, ReferenceTarget.config(), pg,
                    TestInfrastructure.kafka(), Clock.systemUTC());
                 WorkerRuntime b = WorkerRuntime.start(validateOnly, ReferenceTarget.config(), pg,
                         TestInfrastructure.kafka(), Clock.systemUTC())) {
                assertThat(a.capture().awaitStreaming(Duration.ofSeconds(60))).isTrue();
                assertThat(b.capture()).isNull();
                Thread.sleep(8000); // let the group settle on its two members before changes flow
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    // One edit per record, so the record keys the runs name count the changes they checked.
                    s.execute("SELECT pfa_update_delta(id, '{\"notes\":\"edit\"}', version) FROM pfa_records "
                            + "WHERE id <= 30");
                    s.execute("SELECT pfa_update_delta(id, '{\"notes\":\"edit\"}', version) FROM pfa_records "
                            + "WHERE id > 30");
                }
                int seen = WorkerRuntimeIT.readUntil(name + ".check-runs", CheckRun.class,
                        l -> recordsChecked(l).size() >= 60).size();
                Thread.sleep(3000); // a change checked twice would show by now
                List<CheckRun> runs = WorkerRuntimeIT.readUntil(name + ".check-runs", CheckRun.class,
                        l -> recordsChecked(l).size() >= 60 && l.size() >= seen);
                List<String> checked = recordsChecked(runs);
                assertThat(checked).as("each of the 60 changes checked exactly once").hasSize(60);
                assertThat(runs.stream().map(CheckRun::runId).distinct().count()).isEqualTo(runs.size());

                Thread.sleep(3000); // a duplicate announcement would arrive by now
                List<Finding> findings = WorkerRuntimeIT.readUntil(name + ".findings", Finding.class,
                        l -> !l.isEmpty());
                Map<String, Long> openedPerFingerprint = findings.stream()
                        .filter(f -> f.status() == FindingStatus.OPENED)
                        .collect(Collectors.groupingBy(Finding::fingerprint, Collectors.counting()));
                assertThat(openedPerFingerprint).isNotEmpty().allSatisfy((fp, n) -> assertThat(n).isOne());
            } finally {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                            + name + "' AND NOT active");
                }
            }
        }
    }

    /**
     * Keys of the 60 test records named by the version-discipline runs, one entry per change they covered (the
     * baseline pass's lock probes edit probe rows of their own, with higher keys).
     */
    private static List<String> recordsChecked(List<CheckRun> runs) {
        List<String> out = new ArrayList<>();
        runs.stream().filter(r -> r.check().equals("lock.version-discipline"))
                .filter(r -> r.scope().kind() == CheckScope.Kind.RECORDS)
                .forEach(r -> r.scope().ids().stream().filter(id -> Long.parseLong(id) <= 60).forEach(out::add));
        return out;
    }
}
