package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a function's declared volatility with what its body visibly needs ({@link FunctionBody}):
 * <ul>
 *   <li>stronger than allowed (MEDIUM): IMMUTABLE reading a table, IMMUTABLE or STABLE writing one, or calling a
 *       clock, random, sequence or setting function weaker than the declaration. PostgreSQL trusts the label:
 *       an IMMUTABLE function reading a table gives stale generated columns and indexes, and is folded at plan time.</li>
 *   <li>weaker than needed (LOW): VOLATILE with a body that reads and writes no table, runs no dynamic SQL and
 *       calls only functions that have a non-volatile form: it blocks index use and inlining for nothing.</li>
 * </ul>
 * Only the clock/random/sequence/setting functions are judged by their own label: many catalog functions taking
 * {@code "any"} (e.g. {@code jsonb_build_object}) are labelled STABLE although they are immutable for the types a
 * merge function passes, and judging by them would raise false alarms.
 */
final class VolatilityJudge {
    private static final Set<String> TELLING_CALLS = Set.of("now", "clock_timestamp", "timeofday", "random",
            "gen_random_uuid", "nextval", "setval", "currval", "lastval", "txid_current", "pg_current_xact_id",
            "current_setting", "set_config", "statement_timestamp", "transaction_timestamp", "pg_sleep");

    private final Set<String> relations;
    private final Map<String, Character> strongestByName;

    private VolatilityJudge(Set<String> relations, Map<String, Character> strongestByName) {
        this.relations = relations;
        this.strongestByName = strongestByName;
    }

    static VolatilityJudge load(Connection c) throws SQLException {
        Set<String> relations = new HashSet<>();
        for (Row r : Row.query(c, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', "
                + "'information_schema', 'pg_toast')")) {
            relations.add(r.str("relname"));
        }
        // 'i' < 's' < 'v': min() is the strongest label any overload of that name carries.
        Map<String, Character> strongest = new HashMap<>();
        for (Row r : Row.query(c, "SELECT proname, min(provolatile::text) AS v FROM pg_proc GROUP BY proname")) {
            strongest.put(r.str("proname"), r.str("v").charAt(0));
        }
        return new VolatilityJudge(relations, strongest);
    }

    CheckResult judge(Check check, CheckContext context, Row fn, Subject subject) {
        String lang = fn.str("language");
        // A trigger function's volatility label has no effect: PostgreSQL calls it per row regardless.
        if (!"sql".equals(lang) && !"plpgsql".equals(lang) || fn.bool("is_trigger")) {
            return CheckResult.pass(FunctionHygieneCheck.VOLATILITY, subject);
        }
        char declared = fn.str("volatility").charAt(0);
        FunctionBody body = FunctionBody.parse(fn.str("source"));
        List<String> reasons = tooStrong(declared, body, fn.str("depends_on_relations"));
        if (!reasons.isEmpty()) {
            String needed = reasons.stream().anyMatch(r -> r.contains("VOLATILE")) ? "VOLATILE" : "STABLE";
            return fail(check, context, fn, subject, Severity.MEDIUM, "declared " + label(declared)
                    + " but its body needs " + needed, String.join("\n", reasons), needed);
        }
        if (declared == 'v' && isPure(body)) {
            return fail(check, context, fn, subject, Severity.LOW, "declared VOLATILE but its body looks pure",
                    "reads no table, writes none, runs no dynamic SQL, calls only functions with a non-volatile form: "
                            + body.calls(), "STABLE (or IMMUTABLE if it depends on its arguments only)");
        }
        return CheckResult.pass(FunctionHygieneCheck.VOLATILITY, subject);
    }

    private List<String> tooStrong(char declared, FunctionBody body, String dependsOn) {
        List<String> reasons = new ArrayList<>();
        if (declared == 'v') {
            return reasons;
        }
        for (String w : body.writes()) {
            if (relations.contains(w)) {
                reasons.add("writes table " + w + " (needs VOLATILE)");
            }
        }
        if (declared == 'i') {
            for (String r : body.reads()) {
                if (relations.contains(r)) {
                    reasons.add("reads table " + r + " (needs at least STABLE)");
                }
            }
            if (dependsOn != null) {
                reasons.add("depends on relations " + dependsOn + " in pg_depend (needs at least STABLE)");
            }
            for (String keyword : body.timeKeywords()) {
                reasons.add("uses " + keyword + " (STABLE: needs at least STABLE)");
            }
        }
        for (String call : body.calls()) {
            Character v = strongestByName.get(call);
            if (TELLING_CALLS.contains(call) && v != null && v > declared) {
                reasons.add("calls " + call + "() which is " + label(v)
                        + (v == 'v' ? " (needs VOLATILE)" : " (needs at least STABLE)"));
            }
        }
        return reasons;
    }

    private boolean isPure(FunctionBody body) {
        if (body.dynamicSql() || body.writes().stream().anyMatch(relations::contains)
                || body.reads().stream().anyMatch(relations::contains)) {
            return false;
        }
        return body.calls().stream().allMatch(c -> strongestByName.getOrDefault(c, 'i') != 'v');
    }

    private CheckResult fail(Check check, CheckContext context, Row fn, Subject subject, Severity severity,
                             String what, String seen, String needed) {
        return CheckResult.fail(context.finding(check, FunctionHygieneCheck.VOLATILITY, severity, subject)
                .title("Function " + subject.name() + " is " + what)
                .problem("PostgreSQL trusts the declared volatility: too strong and it caches or folds results "
                        + "that can change (stale generated columns and indexes, wrong answers); too weak and it "
                        + "re-evaluates per row and cannot be used in indexes or generated columns. Seen in the "
                        + "body (" + fn.str("language") + ", heuristic):")
                .evidence("body analysis", "text", seen + "\nused as: " + fn.str("roles"))
                .fix("ALTER FUNCTION " + fn.str("signature") + " " + needed.split(" ")[0] + ";"
                        + (needed.startsWith("STABLE") || needed.startsWith("VOLATILE")
                        ? "\n-- A generated column or index cannot call a non-IMMUTABLE function: move that logic "
                        + "out of the expression first." : ""))
                .build());
    }

    private static String label(char v) {
        return switch (v) {
            case 'i' -> "IMMUTABLE";
            case 's' -> "STABLE";
            default -> "VOLATILE";
        };
    }
}
