package dev.deltawatch.worker.check.lock;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What the write path does with one writer at a time ({@link WriteProfile}): a write with the current version must
 * move the version by exactly one; a later write with the outdated version must change nothing and be refused with
 * the configured conflict error. Each way of failing is its own rule, titled for what the row shows:
 * <ul>
 *   <li>{@value #RULE_UNVERSIONED} (BLOCKER): the version never moves and an outdated version is applied anyway;</li>
 *   <li>{@value #RULE_STEP} (HIGH): the version moves by other than one;</li>
 *   <li>{@value #RULE} (BLOCKER): the outdated write changed the row, overwriting the newer edit;</li>
 *   <li>{@value #RULE_SWALLOWED} (BLOCKER): the outdated write reported success and changed nothing;</li>
 *   <li>{@value #RULE_ERROR} (MEDIUM): it was refused, but not with the configured conflict error.</li>
 * </ul>
 * On an unversioned path the outdated-write rules are not judged: the unversioned finding names the whole defect.
 */
public final class StaleWriteCheck implements Check {
    public static final String RULE = LockDiagnosis.STALE_WRITE_APPLIED;
    public static final String RULE_ERROR = LockDiagnosis.UNCLEAR_CONFLICT_ERROR;
    public static final String RULE_SWALLOWED = LockDiagnosis.CONFLICT_SWALLOWED;
    public static final String RULE_STEP = LockDiagnosis.VERSION_STEP;
    public static final String RULE_UNVERSIONED = LockDiagnosis.UNVERSIONED;

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
            WriteProfile p = WriteProfile.measure(f);
            List<CheckResult> out = new ArrayList<>();
            if (p.unversioned()) {
                out.add(fail(context, f, p, RULE_UNVERSIONED, Severity.BLOCKER,
                        "The write path ignores the expected version and never bumps it: no optimistic locking",
                        "A write with the current version left the version at " + p.start().versionLabel() + ", and "
                                + "a write with the wrong version " + p.staleLabel() + " was applied. Every write wins: an "
                                + "editor working from an outdated read overwrites newer edits and never gets a "
                                + "conflict, however atomic each single write is."));
                out.add(CheckResult.pass(RULE_STEP, f.subject()));
                return out;
            }
            out.add(CheckResult.pass(RULE_UNVERSIONED, f.subject()));
            long step = p.step();
            out.add(step == 1 ? CheckResult.pass(RULE_STEP, f.subject()) : p.token() ? fail(context, f, p, RULE_STEP,
                    Severity.HIGH, "The write path does not move the version token",
                    "A successful write with the current token " + p.start().versionLabel() + " left the token "
                            + "unchanged. A token must change on every write: one that never moves cannot tell an "
                            + "outdated read from a current one, so concurrent editors overwrite each other.")
                    : fail(context, f, p, RULE_STEP,
                    Severity.HIGH, step == 0 ? "The write path does not bump the version (+0 per write)"
                            : "The write path moves the version by " + (step > 0 ? "+" : "") + step
                            + " per write, not +1",
                    "A successful write with the current version " + p.start().versionLabel() + " left version "
                            + p.afterFresh().versionLabel() + ". Every write must bump the version by exactly one: "
                            + (step == 0 ? "a version that never moves cannot tell an outdated read from a "
                            + "current one." : "clients that expect their version + 1, or count edits by versions, "
                            + "are misled, and a jump can skip over a version another client holds.")));
            WriteProfile.StaleResult stale = p.staleResult();
            out.add(stale != WriteProfile.StaleResult.APPLIED ? CheckResult.pass(RULE, f.subject())
                    : fail(context, f, p, RULE, Severity.BLOCKER,
                    "A write with an outdated version was applied over a newer edit",
                    "A write carrying version " + p.staleLabel() + ", after a newer write had moved the record to "
                            + "version " + p.afterFresh().versionLabel() + ", changed the record: it overwrote the newer "
                            + "edit."));
            out.add(stale != WriteProfile.StaleResult.SWALLOWED ? CheckResult.pass(RULE_SWALLOWED, f.subject())
                    : fail(context, f, p, RULE_SWALLOWED, Severity.BLOCKER,
                    "A version conflict is swallowed: the outdated write reported success and changed nothing",
                    "A write carrying the outdated version " + p.staleLabel() + " returned success ("
                            + p.stale().describe() + ") but the record is unchanged. The caller believes its edit "
                            + "was saved; it was silently dropped, and the user never re-reads and retries."));
            out.add(stale != WriteProfile.StaleResult.OTHER_ERROR ? CheckResult.pass(RULE_ERROR, f.subject())
                    : fail(context, f, p, RULE_ERROR, Severity.MEDIUM, "A stale write got an unclear error",
                    "A stale write was refused, but not with the configured conflict ("
                            + p.conflict() + "): clients cannot tell a "
                            + "conflict (re-read and retry) from a failure."));
            return out;
        }
    }

    private CheckResult fail(CheckContext context, ProbeFixture f, WriteProfile p, String rule, Severity severity,
                             String title, String problem) {
        return CheckResult.fail(context.finding(this, rule, severity, f.subject())
                .title(title)
                .evidence("one writer at a time", "text", p.describe())
                .problem(problem)
                .fix("Check and bump in one statement: `UPDATE ... SET version = version + 1 WHERE key = $1 AND "
                        + "version = $expected`, and signal " + p.conflict()
                        + " when no row matched; never return success for a write that "
                        + "changed nothing.")
                .reproductionSql(f.writePath().callSql(p.key(), "{\"" + WriteProfile.PATCH_FIELD + "\":\"newer\"}",
                        p.start().expected()) + "\n" + f.writePath().callSql(p.key(),
                        "{\"" + WriteProfile.PATCH_FIELD + "\":\"stale\"}", p.staleVersion()))
                .build());
    }
}
