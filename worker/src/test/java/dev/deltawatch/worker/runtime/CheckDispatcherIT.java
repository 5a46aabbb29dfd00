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
 * a pass over every record that would repeat the last complete one.
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

    @Test
    void aPassAFunctionRedefinitionAsksForIsSkippedOnlyWhenEveryFunctionReadsAsDuringTheLastCompletePass()
            throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("dispatch_redundant")) {
            CheckContext context = TestInfrastructure.referenceContext(ds);
            String definition;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_get_functiondef('pfa_merge'::regproc)")) {
                rs.next();
                definition = rs.getString(1);
            }
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
            assertThat(pass.runs).as("same text after a complete pass: skipped").isEqualTo(1);
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
            dispatcher.dispatch(passFor(redefined)); // skipped: still the same text as the last complete pass
            execute(ds, definition.replace("BEGIN", "BEGIN\n    -- reworded"));
            dispatcher.dispatch(passFor(redefined));
            assertThat(pass.runs).as("new text: runs").isEqualTo(5);
            pass.fails = false;
            dispatcher.dispatch(passFor(redefined));
            assertThat(pass.runs).as("the last pass erred: nothing to skip by").isEqualTo(6);
        }
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

    /** Counts its runs; runs {@code during} inside a run; errs when {@code fails}. */
    private static final class Pass implements Check {
        int runs;
        Runnable during;
        boolean fails;

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
