package dev.deltawatch.worker.check.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckProgress;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.PassGate;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * merge.differential with merge.generated-column riding along reads the records once and reaches exactly the
 * verdicts the two checks reach each on its own read: on the clean target and on every merge fault of the catalog.
 */
class SharedMergePassIT {

    @ParameterizedTest
    @ValueSource(strings = {"", "01_shallow_merge.sql", "02_delta_null_deletes.sql", "03_arrays_appended.sql",
            "04_string_zero_coerced.sql", "05_null_delta_yields_null.sql", "06_generated_category_from_mirror.sql"})
    void oneReadGivesBothChecksTheVerdictsOfTheirOwnReads(String fault) throws Exception {
        String name = "merge_shared_" + (fault.isEmpty() ? "clean" : fault.substring(0, 2));
        try (HikariDataSource ds = MergeFaultsIT.target(name, fault.isEmpty() ? null : fault)) {
            Passes passes = new Passes();
            CheckContext context = TestInfrastructure.referenceContext(ds).withProgress(passes);
            List<CheckResult> aloneDiff = new DifferentialMergeCheck(64).run(context, CheckScope.all());
            List<CheckResult> aloneDrift = new GeneratedColumnDriftCheck(64).run(context, CheckScope.all());
            assertThat(passes.started).containsExactly("merge.differential", "merge.generated-column");

            passes.started.clear();
            GeneratedColumnDriftCheck drift = new GeneratedColumnDriftCheck(64);
            DifferentialMergeCheck differential = new DifferentialMergeCheck(64).feeding(drift);
            List<CheckResult> sharedDiff = differential.run(context, CheckScope.all());
            List<CheckResult> sharedDrift = drift.run(context, CheckScope.all());
            assertThat(passes.started).as("one full pass for both").containsExactly("merge.differential");

            assertThat(describe(sharedDiff)).containsExactlyElementsOf(describe(aloneDiff));
            assertThat(describe(sharedDrift)).containsExactlyElementsOf(describe(aloneDrift));
            if (!fault.isEmpty()) {
                assertThat(sharedDiff.stream().anyMatch(CheckResult::failed)
                        || sharedDrift.stream().anyMatch(CheckResult::failed)).as("the fault is found").isTrue();
            }
        }
    }

    @Test
    void handedInResultsServeOnlyTheRunTheyWereJudgedFor() throws Exception {
        try (HikariDataSource ds = MergeFaultsIT.target("merge_shared_stale", null)) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            GeneratedColumnDriftCheck drift = new GeneratedColumnDriftCheck(64);
            DifferentialMergeCheck differential = new DifferentialMergeCheck(64).feeding(drift);
            assertThat(differential.run(context, CheckScope.all())).noneMatch(CheckResult::failed);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 InputStream in = getClass().getResourceAsStream("/faults/merge/06_generated_category_from_mirror.sql")) {
                s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            // A later run (a new context) reads for itself: the clean results judged before the fault are not reused.
            CheckContext later = context.withTrigger(Trigger.manual());
            assertThat(drift.run(later, CheckScope.all()).stream().filter(CheckResult::failed)).hasSize(50);
            // Nor does a run of another scope on the same context get them.
            differential.run(context, CheckScope.all());
            assertThat(drift.run(context, CheckScope.records(List.of("1", "2", "3", "4"))))
                    .extracting(r -> r.subject().name()).allMatch(n -> n.matches(".*/[1-4]#.*"));
        }
    }

    @Test
    void aPassOverEveryRecordAsksItsGateBeforeEachBatchAndAChangedRecordsRunNever() throws Exception {
        try (HikariDataSource ds = MergeFaultsIT.target("merge_shared_gate", null)) {
            java.util.concurrent.atomic.AtomicInteger turns = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger reading = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
            PassGate gate = new PassGate() {
                @Override
                public void beforeRead() {
                    turns.incrementAndGet();
                    try {
                        open.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    assertThat(reading.incrementAndGet()).as("one batch read at a time on one connection").isEqualTo(1);
                }

                @Override
                public void afterRead() {
                    reading.decrementAndGet();
                }
            };
            CheckContext context = TestInfrastructure.referenceContext(ds).withPassGate(gate);
            assertThat(new DifferentialMergeCheck(64).run(context, CheckScope.records(List.of("1", "2", "3"))))
                    .isNotEmpty();
            assertThat(turns).as("a run on changed records never waits").hasValue(0);

            java.util.concurrent.CompletableFuture<List<CheckResult>> pass = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return new DifferentialMergeCheck(64, 1).run(context, CheckScope.all());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            Thread.sleep(1000);
            assertThat(pass).as("the pass waits while its gate is shut").isNotDone();
            assertThat(turns).as("before its first batch").hasValue(1);
            open.countDown();
            List<CheckResult> results = pass.get(60, java.util.concurrent.TimeUnit.SECONDS);
            long records = results.stream().map(r -> r.subject().name().replaceAll("#.*", "")).distinct().count();
            assertThat(turns.get()).as("once a batch of 64").isGreaterThanOrEqualTo((int) (records / 64));
            assertThat(reading).as("every read it began, it ended").hasValue(0);
        }
    }

    private static List<String> describe(List<CheckResult> results) {
        List<String> out = new ArrayList<>();
        for (CheckResult r : results) {
            out.add(r.rule() + " " + r.subject().name() + (r.failed() ? " FAIL " + r.finding().title()
                    + " | " + r.finding().problem() : r.skipped() != null ? " SKIP " + r.skipped() : " pass"));
        }
        return out;
    }

    /** Which checks started a full pass. */
    private static final class Passes implements CheckProgress {
        final List<String> started = new CopyOnWriteArrayList<>();

        @Override
        public Pass pass(String check, long totalRecords) {
            started.add(check);
            return Pass.NONE;
        }
    }
}
