package dev.deltawatch.worker.check.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.lock.LockProbeSettings;
import dev.deltawatch.worker.check.merge.MergeOracle;
import dev.deltawatch.worker.check.lock.ProbeFixture;
import dev.deltawatch.worker.check.lock.ProbeSession;
import dev.deltawatch.worker.check.lock.WriteOutcome;
import dev.deltawatch.worker.check.lock.WritePath;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The adversarial payloads ({@link EdgeCases}) through the declared write path, each in its own transaction on a
 * probe document that already has a delta, rolled back afterwards. The fixture's sanity write must succeed first
 * ({@link ProbeFixture}); otherwise the check is an ERROR run naming the config field, never a pass.
 *
 * <p>The read-back model: a save composes the patch into the stored delta the way the declared merge contract
 * composes a delta into a mirror, so the delta after a save must equal {@link MergeOracle#merge}(delta before,
 * patch) — for {@code ||} (objects: concat) exactly {@code delta || patch}, for a JSON Merge Patch contract the
 * RFC 7386 result. The one oracle of the merge family is reused; the probe exercises the path that updates an
 * existing delta (a first write that creates the delta may store the patch as sent, which is not this model).
 *
 * <p>Each case must be stored per that model or refused with a clean error. Findings, one per case:
 * stored something else, HIGH {@value #RULE_ALTERED}; accepted an input it must refuse (a wrong-type version),
 * MEDIUM {@value #RULE_ACCEPTED}; a crash-like error (internal, resource, limit, cancel), MEDIUM
 * {@value #RULE_UNCLEAN}; an error leaking internals (see {@link ErrorLeaks}), MEDIUM {@value #RULE_LEAK}.
 */
public final class WritePathEdgeCasesCheck implements Check {
    public static final String RULE_ALTERED = "edge-write-altered";
    public static final String RULE_ACCEPTED = "edge-invalid-input-accepted";
    public static final String RULE_UNCLEAN = "edge-unclean-error";
    public static final String RULE_LEAK = "edge-error-leaks-internals";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LockProbeSettings settings;

    public WritePathEdgeCasesCheck(LockProbeSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "edge.write-path";
    }

    @Override
    public String family() {
        return "edge";
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        List<CheckResult> out = new ArrayList<>();
        MergeOracle oracle = new MergeOracle(context.target().config().merge().contract());
        // The fixture's sanity write must pass first: a path that refuses every valid write has no edge verdicts.
        try (ProbeFixture f = ProbeFixture.open(context, settings, "edge")) {
            WritePath wp = f.writePath();
            String key = f.newDocument();
            try (ProbeSession s = f.session("edge-cases")) {
                ProbeInternals internals = s.inTransaction(c -> ProbeInternals.read(c, s.backendPid(),
                        context.target().config().schema(), wp.functionName()));
                for (EdgeCases.EdgeCase edge : EdgeCases.all()) {
                    out.addAll(judge(context, edge, attempt(context, s, wp, key, edge), oracle, internals));
                }
            }
        }
        return out;
    }

    /**
     * What one case did: the outcome and, on success, the delta before and after (read in the same transaction) and
     * what the target's merge function returns for that delta and the patch (null where it raised).
     */
    private record Attempt(WriteOutcome outcome, String deltaBefore, String deltaAfter, String mergedByFunction) {}

    private Attempt attempt(CheckContext context, ProbeSession s, WritePath wp, String key, EdgeCases.EdgeCase edge)
            throws SQLException {
        try {
            s.begin();
            WritePath.RowState before = wp.read(s.connection(), key);
            Object version = edge.version() == EdgeCases.CURRENT ? before.expected() : edge.version();
            WriteOutcome o = wp.write(s.connection(), key, edge.patch(), version);
            if (!o.succeeded()) {
                return new Attempt(o, before.deltaJson(), null, null);
            }
            String after = wp.read(s.connection(), key).deltaJson();
            return new Attempt(o, before.deltaJson(), after, mergedByFunction(context, s, before.deltaJson(),
                    edge.patch()));
        } finally {
            s.rollbackQuietly();
        }
    }

    /** The merge function on (delta, patch), last in the case's transaction (rolled back): null where it raised. */
    private static String mergedByFunction(CheckContext context, ProbeSession s, String delta, String patch) {
        try (java.sql.PreparedStatement ps = s.connection().prepareStatement("SELECT "
                + context.target().merge().sql("CAST(? AS jsonb)", "CAST(? AS jsonb)") + "::text")) {
            ps.setString(1, delta);
            ps.setString(2, patch);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            return null;
        }
    }

    private List<CheckResult> judge(CheckContext context, EdgeCases.EdgeCase edge, Attempt a, MergeOracle oracle,
                                    ProbeInternals internals) throws Exception {
        Subject subject = new Subject("edge-case", edge.name());
        List<CheckResult> out = new ArrayList<>();
        WriteOutcome o = a.outcome();
        String sent = "patch: " + abbreviate(edge.patch()) + "\nversion argument: "
                + (edge.version() == EdgeCases.CURRENT ? "the current version" : edge.version()) + "\noutcome: "
                + abbreviate(o.describe());
        if (o.succeeded()) {
            if (edge.mustRefuse()) {
                out.add(fail(context, RULE_ACCEPTED, Severity.MEDIUM, subject, edge, sent,
                        "The write function accepted " + edge.name() + " instead of refusing it.",
                        "Declare the parameter with its real type and validate it before the UPDATE."));
            } else {
                JsonNode expected = oracle.merge(parse(a.deltaBefore()), parse(edge.patch()));
                JsonNode stored = parse(a.deltaAfter());
                if (!java.util.Objects.equals(expected, stored)) {
                    String evidence = sent + "\nexpected delta: " + abbreviate(String.valueOf(expected))
                            + "\nstored delta: " + abbreviate(String.valueOf(stored))
                            + "\nthe merge function on (delta, patch): " + abbreviate(a.mergedByFunction());
                    if (a.mergedByFunction() != null && stored != null
                            && stored.equals(parse(a.mergedByFunction()))) {
                        // The path stored exactly what the merge function returns: the function is what breaks
                        // the contract (the merge family pages for it), not the write path.
                        out.add(fail(context, RULE_ALTERED, Severity.MEDIUM, subject, edge, evidence,
                                "The write path stored what the merge function returns, which differs from the "
                                        + "declared contract: the merge function's defect (merge.battery, "
                                        + "merge.differential) reaches the stored deltas too.",
                                "Fix the merge function (see the merge family's finding); the write path needs no "
                                        + "change of its own."));
                    } else {
                        out.add(fail(context, RULE_ALTERED, Severity.HIGH, subject, edge, evidence,
                                "The write path stored something other than the patch merged per the declared "
                                        + "contract.",
                                "Store the patch with the contract's merge (no casts, trimming or re-encoding), or "
                                        + "refuse the input with a clear error."));
                    }
                }
            }
            return out.isEmpty() ? List.of(CheckResult.pass(RULE_ALTERED, subject)) : out;
        }
        if (!ErrorLeaks.cleanRefusal(o)) {
            out.add(fail(context, RULE_UNCLEAN, Severity.MEDIUM, subject, edge, sent,
                    "The write path failed with " + o.sqlState() + " (a crash-like error class) instead of "
                            + "refusing the input cleanly.",
                    "Validate the input first and RAISE a data exception (SQLSTATE 22xxx) with a message for users."));
        }
        List<ErrorLeaks.Leak> leaks = ErrorLeaks.leaks(o, internals, edge.patch());
        if (!leaks.isEmpty()) {
            out.add(fail(context, RULE_LEAK, Severity.MEDIUM, subject, edge, sent + "\nleaked:\n  "
                            + String.join("\n  ", leaks.stream().map(ErrorLeaks.Leak::describe).toList())
                            + "\ndetail: " + abbreviate(o.detail()) + "\nhint: " + abbreviate(o.hint())
                            + "\ncontext: " + abbreviate(o.where()),
                    "The error sent back to the caller contains " + String.join(" and ",
                            leaks.stream().map(ErrorLeaks.Leak::kind).toList()) + ".",
                    "Raise a fixed, user-facing message (RAISE EXCEPTION '...' USING ERRCODE = '22023'); log "
                            + "details server-side instead of concatenating SQLERRM or PG_EXCEPTION_CONTEXT into it."));
        }
        if (out.isEmpty()) {
            out.add(CheckResult.pass(RULE_UNCLEAN, subject));
            out.add(CheckResult.pass(RULE_LEAK, subject));
        }
        return out;
    }

    private CheckResult fail(CheckContext context, String rule, Severity severity, Subject subject,
                             EdgeCases.EdgeCase edge, String evidence, String problem, String fix) {
        return CheckResult.fail(context.finding(this, rule, severity, subject)
                .title("Write path, " + edge.name() + ": " + problem)
                .evidence("edge case", "text", evidence)
                .problem(problem)
                .fix(fix)
                .build());
    }

    private static JsonNode parse(String json) throws Exception {
        return json == null ? null : JSON.readTree(json);
    }

    private static String abbreviate(String s) {
        return s == null ? "SQL NULL" : s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    }
}
