package dev.deltawatch.worker.check;

import dev.deltawatch.worker.check.edge.WritePathEdgeCasesCheck;
import dev.deltawatch.worker.check.hygiene.HygieneChecks;
import dev.deltawatch.worker.check.hygiene.HygieneSettings;
import dev.deltawatch.worker.check.lock.LockChecks;
import dev.deltawatch.worker.check.lock.LockProbeSettings;
import dev.deltawatch.worker.check.lock.VersionDisciplineCheck;
import dev.deltawatch.worker.check.merge.DifferentialMergeCheck;
import dev.deltawatch.worker.check.merge.MergeRecordReader;
import dev.deltawatch.worker.check.merge.GeneratedColumnDriftCheck;
import dev.deltawatch.worker.check.merge.MergeBatteryCheck;
import dev.deltawatch.worker.check.merge.MergeVolatilityCheck;
import dev.deltawatch.worker.check.plan.PlanAuditCheck;
import dev.deltawatch.worker.check.plan.PlanAuditSettings;
import dev.deltawatch.worker.check.plan.TargetBaselineStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The one place every check is registered. Families add their checks here. */
public final class Checks {
    private Checks() {}

    /** New instances of every check of the given families, as a one-shot {@code check} runs them. */
    public static CheckRegistry forFamilies(Set<String> families) {
        return forFamilies(families, PlanAuditSettings.defaults(), HygieneSettings.defaults(),
                DifferentialMergeCheck.DEFAULT_PARTITIONS);
    }

    /**
     * The one-shot {@code check}'s checks: those of {@link #forFamilies(Set)}, with the connection-pooling sample
     * taken over {@code poolingWindow} instead of the worker's 10 s, so that it fits inside the rest of the pass.
     */
    public static CheckRegistry forOneShot(Set<String> families, Duration poolingWindow) {
        HygieneSettings d = HygieneSettings.defaults();
        Duration poll = d.poolingPollInterval().compareTo(poolingWindow) > 0 ? poolingWindow : d.poolingPollInterval();
        return forFamilies(families, PlanAuditSettings.defaults(), d.withPooling(poolingWindow, poll,
                d.maxNewSessionsPerMinute(), d.maxSubSecondBackends(), d.maxConnectionsShare()),
                DifferentialMergeCheck.DEFAULT_PARTITIONS);
    }

    /**
     * The running worker's checks. A plan audit after a schema change must answer "did this change the plan?" in
     * seconds: it takes two measured runs per parameter set and no warm-up, and skips the full-scan budget probe,
     * which reads the whole table and would hold every finding of the audit back (the one-shot {@code check}, with
     * five runs after a warm-up and the full-scan probe, measures budgets). A pass over every record reads on one
     * connection: next to a staging database under load it takes one core of it at most, and findings that must not
     * wait for it run on a lane of their own.
     */
    public static CheckRegistry forWorker(Set<String> families) {
        return forFamilies(families, PlanAuditSettings.defaults().withProbes(true, false).withRuns(2, 0),
                HygieneSettings.defaults(), 1);
    }

    private static CheckRegistry forFamilies(Set<String> families, PlanAuditSettings plan, HygieneSettings hygiene,
                                             int passConnections) {
        LockProbeSettings lock = LockProbeSettings.defaults();
        // Order matters to the dispatcher, which runs a group's checks in registration order: cheap, decisive
        // checks first, so their findings are published before slower full-table ones finish.
        // The differential's read of the records also judges the generated columns and hands those results to the
        // drift check right after it: one pass over the rows for both verdicts.
        GeneratedColumnDriftCheck drift = new GeneratedColumnDriftCheck();
        List<Check> all = new ArrayList<>(List.of(new MergeBatteryCheck(), new MergeVolatilityCheck(),
                new DifferentialMergeCheck(MergeRecordReader.DEFAULT_BATCH_SIZE, passConnections).feeding(drift),
                drift));
        all.addAll(LockChecks.active(lock));
        all.add(new VersionDisciplineCheck(100_000, Duration.ofHours(1)));
        all.add(new WritePathEdgeCasesCheck(lock));
        all.addAll(HygieneChecks.all(hygiene));
        all.add(new PlanAuditCheck(plan, new TargetBaselineStore()));
        return new CheckRegistry(all.stream().filter(c -> families.contains(c.family())).toList());
    }
}
