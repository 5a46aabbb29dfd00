package dev.deltawatch.worker.check.lock;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.util.List;
import java.util.Objects;

/**
 * A write with an old expected version, after a newer write, must change nothing and must be refused with the
 * configured conflict error. A stale write that changes the row is a BLOCKER (the newer edit is overwritten); a
 * stale write refused with some other error is MEDIUM (clients cannot tell a conflict from a failure).
 */
public final class StaleWriteCheck implements Check {
    public static final String RULE = "stale-write-accepted";
    public static final String RULE_ERROR = "stale-write-unclear-error";

    private final LockProbeSettings settings;

    public StaleWriteCheck(LockProbeSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "lock.stale-write";
    }

    @Override
    public String family() {
        return "lock";
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        try (ProbeFixture f = ProbeFixture.open(context, settings, "stale-write")) {
            String key = f.newRow();
            long start = f.read(key).version();
            WriteOutcome fresh;
            WriteOutcome stale;
            try (ProbeSession s = f.session("writer")) {
                s.begin();
                fresh = SameVersionRaceCheck.finish(s, f.writePath().write(s.connection(), key,
                        "{\"deltawatch_probe_edit\": \"newer\"}", start));
                WritePath.RowState afterNewer = f.read(key);
                s.begin();
                stale = SameVersionRaceCheck.finish(s, f.writePath().write(s.connection(), key,
                        "{\"deltawatch_probe_edit\": \"stale\"}", start));
                WritePath.RowState afterStale = f.read(key);
                String evidence = "newer write (version " + start + "): " + fresh.describe() + "\nstale write (version "
                        + start + " again): " + stale.describe() + "\nrow after newer: version " + afterNewer.version()
                        + ", delta " + afterNewer.deltaJson() + "\nrow after stale: version " + afterStale.version()
                        + ", delta " + afterStale.deltaJson();
                boolean changed = afterStale.version() != afterNewer.version()
                        || !Objects.equals(afterStale.deltaJson(), afterNewer.deltaJson());
                if (changed || stale.succeeded()) {
                    return List.of(fail(context, f, RULE, Severity.BLOCKER, evidence, key, start,
                            "A write carrying an outdated version was applied: it overwrote a newer edit."));
                }
                if (!f.writePath().isConflict(stale)) {
                    return List.of(fail(context, f, RULE_ERROR, Severity.MEDIUM, evidence, key, start,
                            "A stale write was refused, but not with the configured conflict error ("
                                    + f.writePath().conflictDescription() + "): clients cannot "
                                    + "tell a conflict (re-read and retry) from a failure."));
                }
                return List.of(CheckResult.pass(RULE, f.subject()), CheckResult.pass(RULE_ERROR, f.subject()));
            }
        }
    }

    private CheckResult fail(CheckContext context, ProbeFixture f, String rule, Severity severity, String evidence,
                             String key, long start, String problem) {
        return CheckResult.fail(context.finding(this, rule, severity, f.subject())
                .title(rule.equals(RULE) ? "A stale write changed the record" : "A stale write got an unclear error")
                .evidence("stale write", "text", evidence)
                .problem(problem)
                .fix("Compare the version for equality in the UPDATE's WHERE clause and raise " + f.writePath().conflictDescription()
                        + " when no row matched.")
                .reproductionSql(f.writePath().callSql(key, "{\"edit\":\"newer\"}", start) + "\n"
                        + f.writePath().callSql(key, "{\"edit\":\"stale\"}", start))
                .build());
    }
}
