package dev.deltawatch.worker.check.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code merge.battery}: the merge function on the adversarial cases (each against the oracle's result for the
 * declared contract), the {@code \u0000} escape (must fail cleanly), the systematic kind × kind cases at depths 0
 * to 3 ({@link SystematicMergeCases}), then {@code generatedCases} seeded document pairs checked for agreement and
 * invariants. Run when the merge function or a generated-column expression is
 * redefined, and on the slow schedule. Everything is evaluated set-based in one read-only transaction; nothing
 * is written to the target.
 *
 * <p>Rules: {@code battery-mismatch} and {@code generated-mismatch} (BLOCKER: wrong merged values),
 * {@code battery-error} (BLOCKER: the function raises on a valid input), {@code nul-escape-unclean} (MEDIUM),
 * {@code systematic-mismatch} and {@code systematic-error} (BLOCKER, one finding each for all failing systematic
 * cases), invariants per {@link GeneratedMergeCases}. The fixed cases a function fails are one defect of that
 * function ({@link #casesDefect}), whatever shapes they show: the object under test is the function, and each shape
 * its own finding made one broken function page three times beside the records' findings. The shapes are in the
 * finding's examples; the systematic and random cases follow it ({@link FixedCaseDefects}).
 */
public final class MergeBatteryCheck implements Check {
    public static final String RULE_MISMATCH = "battery-mismatch";
    public static final String RULE_ERROR = "battery-error";
    public static final String RULE_NUL = "nul-escape-unclean";
    public static final long DEFAULT_SEED = 7386L;
    public static final int DEFAULT_GENERATED_CASES = 1_000;

    private final int generatedCases;
    private final long seed;

    public MergeBatteryCheck() {
        this(DEFAULT_GENERATED_CASES, DEFAULT_SEED);
    }

    public MergeBatteryCheck(int generatedCases, long seed) {
        if (generatedCases < 0) {
            throw new IllegalArgumentException("generatedCases must be >= 0, was " + generatedCases);
        }
        this.generatedCases = generatedCases;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "merge.battery";
    }

    @Override
    public String family() {
        return "merge";
    }

    @Override
    public boolean appliesTo(CheckScope scope) {
        return scope.kind() == CheckScope.Kind.OBJECTS || scope.kind() == CheckScope.Kind.ALL;
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        MergeOracle oracle = new MergeOracle(context.target().config().merge().contract());
        MergeFunctionProbe probe = new MergeFunctionProbe(context.target().merge());
        List<CheckResult> results = new ArrayList<>();
        try (Connection c = context.connect(true)) {
            List<CheckResult> fixed = adversarial(context, c, probe, oracle);
            results.addAll(fixed);
            results.add(nulEscape(context, c, probe));
            FixedCaseDefects reported = FixedCaseDefects.of(context, fixed.stream().filter(CheckResult::failed)
                    .map(CheckResult::defect).filter(java.util.Objects::nonNull).toList());
            results.addAll(new SystematicMergeCases(this, context, probe, oracle, reported).run(c));
            results.addAll(new GeneratedMergeCases(this, context, probe, oracle, reported).run(c, generatedCases,
                    seed));
            c.rollback();
        }
        return results;
    }

    private List<CheckResult> adversarial(CheckContext context, Connection c, MergeFunctionProbe probe,
                                          MergeOracle oracle) throws SQLException {
        List<AdversarialCases.Case> cases = AdversarialCases.all();
        List<MergeFunctionProbe.Result> got = probe.evaluate(c, cases.stream().map(AdversarialCases.Case::pair).toList(),
                false);
        List<CheckResult> out = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            AdversarialCases.Case k = cases.get(i);
            MergeFunctionProbe.Result r = got.get(i);
            Subject subject = functionSubject(context, k.name());
            String outside = InputDomainFilter.outside(context.target().inputDomain(), k.mirror(), k.delta());
            if (outside != null) {
                out.add(CheckResult.skipped(RULE_MISMATCH, subject, outside));
                continue;
            }
            if (r.error() != null) {
                out.add(CheckResult.fail(errorFinding(context, subject, k, r.error()), errorDefect(context, r.error())));
                continue;
            }
            JsonNode expected = oracle.merge(k.mirror(), k.delta());
            JsonNode actual = MergeVerifier.parse(r.merged());
            if (JsonDiff.equal(expected, actual)) {
                out.add(CheckResult.pass(RULE_MISMATCH, subject));
            } else {
                out.add(CheckResult.fail(MergeFindings.mismatch(this, context, RULE_MISMATCH, Severity.BLOCKER,
                        subject, "battery case " + k.name() + " (" + k.about() + ")", k.mirror(), k.delta(),
                        expected, actual, reproduction(context, k.mirror(), k.delta())),
                        casesDefect(context)));
            }
        }
        return out;
    }

    private dev.deltawatch.contracts.Finding errorFinding(CheckContext context, Subject subject,
                                                           AdversarialCases.Case k, String error) {
        return context.finding(this, RULE_ERROR, Severity.BLOCKER, subject)
                .title("Merge function raises an error on valid input (battery case " + k.name() + ")")
                .problem(merge(context) + " fails on valid jsonb input (" + k.about() + "): "
                        + error + ". Every read of such a record fails.")
                .evidence("error", "text", error)
                .evidence("mirror", "json", JsonDiff.render(k.mirror()))
                .evidence("delta", "json", JsonDiff.render(k.delta()))
                .reproductionSql(reproduction(context, k.mirror(), k.delta()))
                .fix("Make " + merge(context) + " total over jsonb inputs: handle this shape "
                        + "explicitly instead of raising.")
                .build();
    }

    /**
     * jsonb cannot store U+0000, so {@code "\u0000"} must be refused as a data exception (SQLSTATE class 22,
     * normally 22P05 from the jsonb input function, before the merge function runs); anything else (a value, an
     * internal error) means a client could get garbage or a leaked internal error.
     */
    private CheckResult nulEscape(CheckContext context, Connection c, MergeFunctionProbe probe) throws SQLException {
        Subject subject = functionSubject(context, "nul-escape");
        Savepoint sp = c.setSavepoint();
        String outcome;
        try {
            outcome = "returned " + probe.evaluateRaw(c, "{}", AdversarialCases.NUL_ESCAPE_DELTA);
            c.releaseSavepoint(sp);
        } catch (SQLException e) {
            c.rollback(sp);
            if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
                return CheckResult.pass(RULE_NUL, subject);
            }
            outcome = "failed with SQLSTATE " + e.getSQLState() + ": " + MergeFunctionProbe.firstLine(e.getMessage());
        }
        return CheckResult.fail(context.finding(this, RULE_NUL, Severity.MEDIUM, subject)
                .title("A \\u0000 escape in the delta does not fail cleanly")
                .problem("Merging {} with " + AdversarialCases.NUL_ESCAPE_DELTA + " " + outcome
                        + "; jsonb rejects U+0000, so the only clean outcome is a data exception (SQLSTATE 22P05).")
                .evidence("outcome", "text", outcome)
                .reproductionSql("SELECT " + context.target().merge().sql("'{}'::jsonb",
                        MergeRecordReader.literal(AdversarialCases.NUL_ESCAPE_DELTA) + "::jsonb") + ";")
                .fix("Take jsonb arguments (not text) so the input function rejects U+0000 with 22P05, or "
                        + "reject it explicitly with RAISE ... USING ERRCODE = '22P05'.")
                .build());
    }

    static String reproduction(CheckContext context, JsonNode mirror, JsonNode delta) {
        return "SELECT " + context.target().merge().sql(MergeFindings.jsonbLiteral(mirror),
                MergeFindings.jsonbLiteral(delta)) + ";";
    }

    /** How findings name the merge: its function or {@code ||}. */
    static String merge(CheckContext context) {
        return context.target().merge().displayName();
    }

    static Subject functionSubject(CheckContext context, String part) {
        return new Subject("function", functionName(context) + "#" + part);
    }

    /** The merge as battery findings name it: {@code public.pfa_merge} (or {@code public.||}). */
    static String functionName(CheckContext context) {
        return context.target().config().schema() + "." + context.target().config().merge().displayName();
    }

    /** The defect of a function that fails fixed cases: {@code public.pfa_merge on the fixed cases}. */
    static Subject casesDefect(CheckContext context) {
        return new Subject(MergeDefect.SUBJECT_KIND, functionName(context) + " on the fixed cases");
    }

    /**
     * Cases that make the function raise the same error are one defect: the SQLSTATE (or the message's first
     * words, without one) names it, not the case.
     */
    static Subject errorDefect(CheckContext context, String error) {
        int colon = error.indexOf(':');
        String what = colon == 5 ? "SQLSTATE " + error.substring(0, colon) // the probe's "22P02: message"
                : error.length() > 60 ? error.substring(0, 60) : error;
        return new Subject(MergeDefect.SUBJECT_KIND, functionName(context) + " raises " + what);
    }
}
