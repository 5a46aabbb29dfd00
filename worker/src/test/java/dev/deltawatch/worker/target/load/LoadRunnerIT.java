package dev.deltawatch.worker.target.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.target.seed.Seeder;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each load scenario for a few seconds against a real, seeded reference target. */
class LoadRunnerIT {
    private static final Duration RUN = Duration.ofSeconds(3);
    private static PostgresAddress db;

    @BeforeAll
    static void seed() throws Exception {
        db = TestInfrastructure.freshDatabase("load");
        new Seeder(db, null, false).seed(SeedOptions.of(5_000, 3, true));
    }

    private static LoadReport run(LoadOptions options) throws Exception {
        return new LoadRunner(db, ReferenceTarget.config(), null).run(options);
    }

    private static void assertPercentiles(LoadReport.Operation op) {
        assertThat(op).isNotNull();
        assertThat(op.count()).as(op.name() + " count").isPositive();
        assertThat(op.p50Ms()).as(op.name() + " p50").isPositive();
        assertThat(op.p95Ms()).isGreaterThanOrEqualTo(op.p50Ms());
        assertThat(op.p99Ms()).isGreaterThanOrEqualTo(op.p95Ms());
        assertThat(op.maxMs()).isGreaterThanOrEqualTo(op.p99Ms());
        assertThat(op.timeline()).isNotEmpty();
        assertThat(op.distribution()).isNotEmpty();
    }

    @Test
    void readStormRunsEveryRegisteredReadQueryWithOneConnectionPerUser() throws Exception {
        LoadReport r = run(LoadOptions.of(Scenario.READ_STORM, RUN));
        assertThat(r.users()).isEqualTo(100);
        assertThat(r.poolSize()).isEqualTo(100);
        for (String q : List.of("records-by-org-category", "record-by-id", "records-by-forecast-window")) {
            assertPercentiles(r.operation(q));
        }
        assertThat(r.failures()).isZero();
        assertThat(r.resources().connectionsUnavailable()).isNull();
        assertThat(r.resources().connectionsMax()).isGreaterThanOrEqualTo(50);
        assertThat(r.resources().dbCpuMaxPct()).isPositive().isLessThanOrEqualTo(100.0 * r.resources().cores() + 20);
        assertThat(r.resources().loadHeapMaxMb()).isPositive();
    }

    @Test
    void writeStormRetriesVersionConflictsWithoutCountingThemAsFailures() throws Exception {
        LoadReport r = run(LoadOptions.of(Scenario.WRITE_STORM, RUN));
        assertThat(r.users()).isEqualTo(50);
        assertPercentiles(r.operation(Workload.WRITE_OP));
        // Under heavy contention a client may still give up after its retries; nothing else may fail.
        assertThat(r.errors().keySet()).as("error kinds").isSubsetOf(ErrorCounts.VERSION_CONFLICT,
                "version_conflict_gave_up");
        assertThat(r.failures()).isLessThanOrEqualTo(r.operation(Workload.WRITE_OP).count() / 100);
        assertThat(r.versionConflicts()).isEqualTo(r.errors().getOrDefault(ErrorCounts.VERSION_CONFLICT, 0L));
    }

    @Test
    void mixedRunsReadsAndWritesAboutSeventyThirty() throws Exception {
        LoadReport r = run(LoadOptions.of(Scenario.MIXED, RUN));
        long writes = r.operation(Workload.WRITE_OP).count();
        long total = r.operations().stream().mapToLong(LoadReport.Operation::count).sum();
        assertPercentiles(r.operation(Workload.WRITE_OP));
        assertPercentiles(r.operation("record-by-id"));
        assertThat((double) writes / total).isBetween(0.15, 0.45);
    }

    @Test
    void bulkImportHoldsItsFixedRate() throws Exception {
        LoadReport r = run(new LoadOptions(Scenario.BULK_IMPORT, RUN, 0, 60_000, 100, List.of(), 1));
        LoadReport.Operation op = r.operation(Workload.BULK_OP);
        assertPercentiles(op);
        // 60,000 records/min in batches of 100 = 10 batches/s.
        assertThat(op.count()).isBetween(25L, 31L);
        assertThat(r.failures()).isZero();
    }

    @Test
    void reportsAreWrittenAsJsonAndSelfContainedHtmlWithCharts(@TempDir Path dir) throws Exception {
        LoadReport r = run(new LoadOptions(Scenario.READ_STORM, Duration.ofSeconds(2), 10, 10_000, 100,
                List.of("record-by-id"), 1));
        Path json = dir.resolve("load.json");
        Path html = dir.resolve("load.html");
        LoadReports.writeJson(r, json);
        LoadReports.writeHtml(r, html);
        JsonNode parsed = Contracts.mapper().readTree(Files.readString(json));
        assertThat(parsed.path("operations").get(0).path("p95Ms").asDouble()).isPositive();
        String page = Files.readString(html);
        assertThat(page.split("<svg", -1)).hasSize(3); // timeline + percentile plot for the one operation
        assertThat(page).contains("<polyline", "latency over time", "latency by percentile")
                .doesNotContain("<script", "<link", "src=");
    }
}
