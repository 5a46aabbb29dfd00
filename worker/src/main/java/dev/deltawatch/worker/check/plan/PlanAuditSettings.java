package dev.deltawatch.worker.check.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * How the plan audit runs. Keys as they appear under {@code deltawatch.check.plan.*}.
 *
 * @param runs                     measured EXPLAIN ANALYZE runs per parameter set ({@code runs}, >= 1); the p95 is
 *                                 taken over all runs of all sets
 * @param warmups                  unmeasured runs first, so a cold cache does not count ({@code warmups}, >= 0)
 * @param heaviestStatements       how many of {@code pg_stat_statements}' heaviest statements (by total time) to
 *                                 consider ({@code heaviest.statements}, >= 0)
 * @param seqScanMinRows           a sequential scan on a relation with more rows ({@code reltuples}) is a BLOCKER
 *                                 ({@code seqscan.min.rows})
 * @param misestimateFactor        estimated vs actual rows off by this factor or more is a misestimate
 *                                 ({@code misestimate.factor}, >= 2)
 * @param regressionTolerance      a changed plan shape slower than baseline p95 × (1 + this) is a regression
 *                                 ({@code regression.tolerance}, >= 0)
 * @param regressionMinMs          ...and slower by at least this many milliseconds, so sub-millisecond noise on
 *                                 a busy host is not a regression ({@code regression.min.ms})
 * @param budgetProbes             run the built-in merge and full-scan budget probes ({@code probes.enabled})
 * @param fullScanProbe            include the full-scan probe, which reads the whole table ({@code probes.fullscan})
 * @param verifyFixes              build each suggested index in a rolled-back transaction and measure the
 *                                 query again ({@code verify.fixes})
 * @param verifyFixesMaxTableBytes refuse {@code verifyFixes} on tables larger than this, because a plain
 *                                 CREATE INDEX blocks writes for the whole build ({@code verify.fixes.max.table.bytes})
 */
public record PlanAuditSettings(int runs, int warmups, int heaviestStatements, double seqScanMinRows,
                                double misestimateFactor, double regressionTolerance, double regressionMinMs,
                                boolean budgetProbes, boolean fullScanProbe, boolean verifyFixes,
                                long verifyFixesMaxTableBytes) {

    public static final String PREFIX = "deltawatch.check.plan.";

    public PlanAuditSettings {
        List<String> problems = new ArrayList<>();
        check(runs >= 1, "runs", runs, "must be >= 1", problems);
        check(warmups >= 0, "warmups", warmups, "must be >= 0", problems);
        check(heaviestStatements >= 0, "heaviest.statements", heaviestStatements, "must be >= 0", problems);
        check(seqScanMinRows >= 0, "seqscan.min.rows", seqScanMinRows, "must be >= 0", problems);
        check(misestimateFactor >= 2, "misestimate.factor", misestimateFactor, "must be >= 2", problems);
        check(regressionTolerance >= 0, "regression.tolerance", regressionTolerance, "must be >= 0", problems);
        check(regressionMinMs >= 0, "regression.min.ms", regressionMinMs, "must be >= 0", problems);
        check(verifyFixesMaxTableBytes >= 0, "verify.fixes.max.table.bytes", verifyFixesMaxTableBytes,
                "must be >= 0", problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    public static PlanAuditSettings defaults() {
        return new PlanAuditSettings(5, 1, 10, 10_000, 100, 0.5, 2.0, true, true, false, 256L * 1024 * 1024);
    }

    public PlanAuditSettings withVerifyFixes(boolean verify, long maxTableBytes) {
        return new PlanAuditSettings(runs, warmups, heaviestStatements, seqScanMinRows, misestimateFactor,
                regressionTolerance, regressionMinMs, budgetProbes, fullScanProbe, verify, maxTableBytes);
    }

    public PlanAuditSettings withProbes(boolean probes, boolean fullScan) {
        return new PlanAuditSettings(runs, warmups, heaviestStatements, seqScanMinRows, misestimateFactor,
                regressionTolerance, regressionMinMs, probes, fullScan, verifyFixes, verifyFixesMaxTableBytes);
    }

    public PlanAuditSettings withRuns(int newRuns, int newWarmups) {
        return new PlanAuditSettings(newRuns, newWarmups, heaviestStatements, seqScanMinRows, misestimateFactor,
                regressionTolerance, regressionMinMs, budgetProbes, fullScanProbe, verifyFixes,
                verifyFixesMaxTableBytes);
    }

    private static void check(boolean ok, String key, Object value, String rule, List<String> problems) {
        if (!ok) {
            problems.add("Invalid value " + value + " for configuration " + PREFIX + key + ": " + rule);
        }
    }
}
