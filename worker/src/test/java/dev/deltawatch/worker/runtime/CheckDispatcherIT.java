package dev.deltawatch.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.findings.SampleFindings;
import dev.deltawatch.worker.route.CheckGroup;
import dev.deltawatch.worker.route.Work;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher runs a check once per part of the scope it names and publishes each run as it completes; it skips
 * a pass over every record that would repeat the last complete one, and verifies only the records changed since a
 * clean pass when every function reads as it did then.
 */
class CheckDispatcherIT {

    @Test
    void eachPartOfASplitScopeIsPublishedAsItCompletesAndAScopeThatCannotBeSplitRunsWhole() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("dispatch_parts")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            List<String> events = new ArrayList<>();
            Check splitting = new PerObject("plan.split", events, false);
            Check failing = new PerObject("plan.unsplit", events, true);
            CheckDispatcher dispatcher = new CheckDispatcher(Map.of(CheckGroup.PLAN_AUDIT, List.of(splitting, failing)),
                    context, Clock.systemUTC(), executions -> executions.forEach(d -> events.add("published "
                    + d.execution().run().check() + " " + d.execution().run().scope().ids() + " "
                    + d.execution().run().outcome())));

            dispatcher.dispatch(List.of(new Work(CheckGroup.PLAN_AUDIT, CheckScope.objects(List.of("b", "a")),
                    Trigger.manual())));

            assertThat(events).containsExactly(
                    "run plan.split [a]", "published plan.split [a] PASSED",
                    "run plan.split [b]", "published plan.split [b] PASSED",
                    "run plan.unsplit [b, a]", "published plan.unsplit [b, a] PASSED");
        }
    }

    private static final Trigger MERGE_REDEFINED = new Trigger(Trigger.Reason.SCHEMA_CHANGE, "e", null, null,
            "CREATE FUNCTION public.pfa_merge(jsonb,jsonb)");

    /** A dispatcher of {@code judge} that notes each published run as scope kind/ids/outcome[/every record]. */
    private static CheckDispatcher judging(Judge judge, CheckContext context, List<String> published) {
        return new CheckDispatcher(Map.of(CheckGroup.MERGE_RECORDS, List.of(judge)), context, Clock.systemUTC(),
                executions -> executions.forEach(d -> published.add(d.execution().run().scope().kind() + "/"
                        + d.execution().run().scope().ids().size() + "/" + d.execution().run().outcome()
                        + (d.everyRecord() ? "/every record" : ""))));
    }

    /** The merge function as it is defined now, {@code SET search_path} included. */
    private static String mergeDefinition(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_get_functiondef('pfa_merge'::regproc)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aPassAFunctionRedefinitionAsksForIsSkippedOnlyWhenEveryFunctionReadsAsDuringACleanPassAndNothingChanged()
            throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("dispatch_redundant")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            String definition = mergeDefinition(ds);
            Pass pass = new Pass();
            CheckDispatcher dispatcher = new CheckDispatcher(Map.of(CheckGroup.MERGE_RECORDS, List.of(pass)),
                    context, Clock.systemUTC(), executions -> { });
            Trigger redefined = new Trigger(Trigger.Reason.SCHEMA_CHANGE, "e", null, null,
                    "CREATE FUNCTION public.pfa_merge(jsonb,jsonb)");
            Runnable deploySameText = () -> execute(ds, definition);

            dispatcher.dispatch(List.of(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), Trigger.schedule())));
            assertThat(pass.runs).as("start-up pass").isEqualTo(1);
            deploySameText.run();
            dispatcher.dispatch(passFor(redefined));
            assertThat(pass.runs).as("same text after a clean pass, no record changed: skipped").isEqualTo(1);
            dispatcher.dispatch(List.of(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), Trigger.schedule())));
            assertThat(pass.runs).as("another reason always runs").isEqualTo(2);

            pass.during = deploySameText; // replaced while the pass ran: its verdict may mix two definitions
            dispatcher.dispatch(List.of(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), Trigger.schedule())));
            pass.during = null;
            dispatcher.dispatch(passFor(redefined));
            assertThat(pass.runs).as("a pass during which a function was replaced is not repeated by").isEqualTo(4);
            dispatcher.dispatch(passFor(redefined));
            assertThat(pass.runs).isEqualTo(4);

            pass.fails = true;
            dispatcher.dispatch(passFor(redefined)); // skipped: still the same text as the last clean pass
            execute(ds, definition.replace("BEGIN", "BEGIN\n    -- reworded"));
            dispatcher.dispatch(passFor(redefined));
            assertThat(pass.runs).as("new text: runs").isEqualTo(5);
            pass.fails = false;
            dispatcher.dispatch(passFor(redefined));
            assertThat(pass.runs).as("the last pass erred: nothing to skip by").isEqualTo(6);

            // A pass that failed leaves failures only a run can resolve: back to the clean text, with no record
            // changed, every record is verified again.
            pass.failing = true;
            execute(ds, definition.replace("BEGIN", "BEGIN\n    -- broken"));
            dispatcher.dispatch(passFor(redefined));
            pass.failing = false;
            execute(ds, definition.replace("BEGIN", "BEGIN\n    -- reworded"));
            dispatcher.dispatch(passFor(redefined));
            assertThat(pass.runs).isEqualTo(8);
        }
    }

    @Test
    void backToTheTextOfACleanPassOnlyTheRecordsChangedSinceAreVerifiedAndTheLastRunStandsForEveryRecord()
            throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("dispatch_changed_since")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            String good = mergeDefinition(ds);
            String faulty = good.replace("BEGIN", "BEGIN\n    -- deployed by mistake");
            Judge judge = new Judge();
            List<String> published = new ArrayList<>();
            CheckDispatcher dispatcher = judging(judge, context, published);
            Trigger redefined = MERGE_REDEFINED;
            List<String> many = java.util.stream.IntStream.rangeClosed(1, CheckDispatcher.CHANGED_PART + 1)
                    .mapToObj(String::valueOf).toList();

            judge.during = () -> dispatch(dispatcher, changed(List.of("changed while the clean pass ran")));
            dispatcher.dispatch(List.of(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), Trigger.schedule())));
            dispatcher.dispatch(changed(many.subList(0, 10)));
            execute(ds, faulty);
            judge.broken = true;
            dispatcher.dispatch(passFor(redefined));
            dispatcher.dispatch(changed(many)); // records 1-10 again, and 10,001 more
            execute(ds, good);
            judge.broken = false;
            published.clear();
            dispatcher.dispatch(passFor(redefined));
            assertThat(published).as("the records changed since the clean pass began, once each, in parts; the last "
                    + "part stands for every record").containsExactly("RECORDS/10000/PASSED",
                    "RECORDS/2/PASSED/every record");
            // The same text deployed again: the records changed since the last clean pass (the one just done), or
            // nothing when none did.
            dispatcher.dispatch(changed(List.of("3")));
            execute(ds, good);
            published.clear();
            dispatcher.dispatch(passFor(redefined));
            execute(ds, good);
            dispatcher.dispatch(passFor(redefined));
            assertThat(published).containsExactly("RECORDS/1/PASSED/every record");

            // A record changed since fails: the parts after it cannot stand for every record, so every record is
            // verified instead.
            execute(ds, faulty);
            judge.broken = true;
            dispatcher.dispatch(passFor(redefined));
            dispatcher.dispatch(changed(many));
            execute(ds, good);
            judge.broken = false;
            judge.failing = "7";
            published.clear();
            dispatcher.dispatch(passFor(redefined));
            assertThat(published).containsExactly("RECORDS/10000/FAILED", "ALL/0/PASSED");

            // The worker was handed other partitions: changes another worker verified were never seen here.
            judge.failing = null;
            dispatcher.dispatch(List.of(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), Trigger.schedule())));
            execute(ds, faulty);
            dispatcher.dispatch(passFor(redefined));
            dispatcher.reassigned(true);
            execute(ds, good);
            published.clear();
            dispatcher.dispatch(passFor(redefined));
            assertThat(published).containsExactly("ALL/0/PASSED");

            // A pass for another reason than a function (a column's type, a cast) forgets the clean passes before it.
            execute(ds, faulty);
            dispatcher.dispatch(passFor(redefined));
            dispatcher.dispatch(changed(List.of("8")));
            dispatcher.dispatch(List.of(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), new Trigger(
                    Trigger.Reason.SCHEMA_CHANGE, "t", null, null, "ALTER TABLE public.pfa_records"))));
            execute(ds, good);
            published.clear();
            dispatcher.dispatch(passFor(redefined));
            assertThat(published).containsExactly("ALL/0/PASSED");
        }
    }

    @Test
    void backToTheTextOfACleanPassWithEveryRecordChangedSinceDeletedEveryRecordIsVerified() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("dispatch_deleted_since")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            String good = mergeDefinition(ds);
            Judge judge = new Judge();
            List<String> published = new ArrayList<>();
            CheckDispatcher dispatcher = judging(judge, context, published);
            Trigger redefined = MERGE_REDEFINED;

            dispatcher.dispatch(List.of(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), Trigger.schedule())));
            execute(ds, good.replace("BEGIN", "BEGIN\n    -- deployed by mistake"));
            judge.broken = true;
            dispatcher.dispatch(passFor(redefined));
            dispatcher.dispatch(changed(List.of("5", "6")));
            judge.deleted.addAll(List.of("5", "6"));
            execute(ds, good);
            judge.broken = false;
            published.clear();
            dispatcher.dispatch(passFor(redefined));
            // The records changed since are gone: their run reads nothing, covers no rule and resolves nothing,
            // so every record is verified.
            assertThat(published).containsExactly("RECORDS/2/PASSED/every record", "ALL/0/PASSED");
        }
    }

    @Test
    void aRedefinitionsPassStopsWithoutAVerdictWhenALaterPassWaitsForItAndOtherPassesDoNot() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("dispatch_superseded")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            Batches batches = new Batches();
            List<String> published = new ArrayList<>();
            CheckDispatcher dispatcher = new CheckDispatcher(Map.of(CheckGroup.MERGE_RECORDS, List.of(batches)),
                    context, Clock.systemUTC(), executions -> executions.forEach(d -> published.add(
                    d.execution().run().trigger().reason() + " " + d.execution().run().outcome())));
            Trigger redefined = new Trigger(Trigger.Reason.SCHEMA_CHANGE, "e", null, null,
                    "CREATE FUNCTION public.pfa_merge(jsonb,jsonb)");

            for (Trigger trigger : List.of(redefined, Trigger.schedule())) {
                batches.read.set(0);
                java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
                batches.reading = reading;
                Thread pass = new Thread(() -> {
                    try {
                        dispatcher.dispatch(passFor(trigger));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                pass.start();
                assertThat(reading.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                dispatcher.passWaiting();
                pass.join(30_000);
            }
            assertThat(published).as("the redefinition's pass ends unpublished; the schedule's reads to the end")
                    .containsExactly("SCHEDULE PASSED");
            assertThat(batches.read.get()).isEqualTo(Batches.ALL);
        }
    }

    private static void dispatch(CheckDispatcher dispatcher, List<Work> work) {
        try {
            dispatcher.dispatch(work);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Work> changed(List<String> keys) {
        return List.of(new Work(CheckGroup.MERGE_RECORDS, CheckScope.records(keys), new Trigger(
                Trigger.Reason.DELTA_CHANGE, "c", null, null, null)));
    }

    private static List<Work> passFor(Trigger trigger) {
        return List.of(new Work(CheckGroup.MERGE_RECORDS, CheckScope.all(), trigger));
    }

    private static void execute(HikariDataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts its runs; runs {@code during} inside a run; errs when {@code fails}, finds a failure when {@code failing}. */
    private static final class Pass implements Check {
        int runs;
        Runnable during;
        boolean fails;
        boolean failing;

        @Override
        public String name() {
            return "merge.counted";
        }

        @Override
        public String family() {
            return "merge";
        }

        @Override
        public List<CheckResult> run(CheckContext context, CheckScope scope) throws SQLException {
            runs++;
            if (during != null) {
                during.run();
            }
            if (fails) {
                throw new SQLException("statement timeout", "57014");
            }
            return List.of(failing ? CheckResult.fail(SampleFindings.seqScan())
                    : CheckResult.pass("rule", new Subject("document", "1")));
        }
    }

    /**
     * Judges every record of a scope but the {@code deleted} ones: all of them fail while {@code broken} (one defect,
     * the whole scope is one record's result), the one named {@code failing} alone otherwise; runs {@code during}
     * once, first.
     */
    private static final class Judge implements Check {
        boolean broken;
        String failing;
        Runnable during;
        final java.util.Set<String> deleted = new java.util.HashSet<>();

        @Override
        public String name() {
            return "merge.judged";
        }

        @Override
        public String family() {
            return "merge";
        }

        @Override
        public List<CheckResult> run(CheckContext context, CheckScope scope) {
            Runnable once = during;
            during = null;
            if (once != null) {
                once.run();
            }
            List<String> ids = scope.kind() == CheckScope.Kind.ALL ? List.of("1") : scope.ids();
            return ids.stream().filter(id -> !deleted.contains(id)).map(id -> broken || id.equals(failing) ? CheckResult.fail(SampleFindings.seqScan())
                    : CheckResult.pass("rule", new Subject("document", id))).toList();
        }
    }

    /** Reads {@link #ALL} batches through the pass gate, 10 ms each; counts down {@code reading} at the first. */
    private static final class Batches implements Check {
        static final int ALL = 100;
        final java.util.concurrent.atomic.AtomicInteger read = new java.util.concurrent.atomic.AtomicInteger();
        volatile java.util.concurrent.CountDownLatch reading;

        @Override
        public String name() {
            return "merge.batches";
        }

        @Override
        public String family() {
            return "merge";
        }

        @Override
        public List<CheckResult> run(CheckContext context, CheckScope scope) throws InterruptedException {
            for (int i = 0; i < ALL; i++) {
                context.passGate().beforeRead();
                try {
                    reading.countDown();
                    Thread.sleep(10);
                    read.incrementAndGet();
                } finally {
                    context.passGate().afterRead();
                }
            }
            return List.of(CheckResult.pass("rule", new Subject("document", "1")));
        }
    }

    /** Splits an OBJECTS scope into one part per id, in sorted order; or fails to say how, when asked to. */
    private record PerObject(String name, List<String> events, boolean cannotSplit) implements Check {
        @Override
        public String family() {
            return "plan";
        }

        @Override
        public List<CheckScope> parts(CheckContext context, CheckScope scope) {
            if (cannotSplit) {
                throw new IllegalStateException("no baselines");
            }
            return scope.ids().stream().sorted().map(id -> CheckScope.objects(List.of(id))).toList();
        }

        @Override
        public List<CheckResult> run(CheckContext context, CheckScope scope) {
            events.add("run " + name + " " + scope.ids());
            return scope.ids().stream().map(id -> CheckResult.pass("rule", new Subject("object", id))).toList();
        }
    }
}
