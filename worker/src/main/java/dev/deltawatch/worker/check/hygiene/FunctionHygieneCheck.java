package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.ResolvedTarget;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Hygiene of the functions the watched tables depend on: the merge and write functions (by name), trigger
 * functions, and every function a generated or default expression, an index or a CHECK constraint of a watched
 * table calls (from {@code pg_depend}). Rules: no fixed {@code search_path} in {@code proconfig} (MEDIUM, it
 * resolves names through the caller's path); {@code SECURITY DEFINER} without one (HIGH, the caller can plant
 * objects that run with the owner's rights); declared volatility stronger or weaker than the body shows
 * (see {@link VolatilityJudge}).
 */
public final class FunctionHygieneCheck implements Check {
    public static final String NAME = "hygiene.function-hygiene";
    public static final String SEARCH_PATH = "function-search-path-mutable";
    public static final String SECURITY_DEFINER = "security-definer-without-search-path";
    public static final String VOLATILITY = "volatility-mismatch";

    private static final String FUNCTIONS = """
            WITH used(oid, role) AS (
                SELECT p.oid, 'merge function' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = ? AND p.proname = ?
                UNION ALL
                SELECT p.oid, 'write function' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = ? AND p.proname = ?
                UNION ALL
                SELECT t.tgfoid, 'trigger ' || t.tgname || ' on ' || t.tgrelid::regclass
                  FROM pg_trigger t WHERE t.tgrelid = ANY(?) AND NOT t.tgisinternal
                UNION ALL
                SELECT d.refobjid, 'expression of column ' || ad.adrelid::regclass || '.' || a.attname
                  FROM pg_attrdef ad
                  JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
                  JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
                                  AND d.refclassid = 'pg_proc'::regclass
                 WHERE ad.adrelid = ANY(?)
                UNION ALL
                SELECT d.refobjid, 'index ' || i.indexrelid::regclass
                  FROM pg_index i JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid
                                                  AND d.refclassid = 'pg_proc'::regclass
                 WHERE i.indrelid = ANY(?)
                UNION ALL
                SELECT d.refobjid, 'constraint ' || k.conname
                  FROM pg_constraint k JOIN pg_depend d ON d.classid = 'pg_constraint'::regclass
                       AND d.objid = k.oid AND d.refclassid = 'pg_proc'::regclass
                 WHERE k.conrelid = ANY(?))
            SELECT p.oid::bigint AS oid, n.nspname AS schema, p.proname AS name,
                   pg_get_function_identity_arguments(p.oid) AS args,
                   quote_ident(n.nspname) || '.' || quote_ident(p.proname)
                       || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature,
                   quote_ident(n.nspname) AS quoted_schema,
                   string_agg(DISTINCT u.role, '; ') AS roles, p.prosecdef AS security_definer,
                   p.provolatile::text AS volatility, p.prorettype = 'trigger'::regtype AS is_trigger, l.lanname AS language, p.prosrc AS source,
                   coalesce(array_to_string(p.proconfig, ', '), '') AS config,
                   EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%') AS pinned,
                   (SELECT string_agg(d.refobjid::regclass::text, ', ') FROM pg_depend d
                     WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                       AND d.refclassid = 'pg_class'::regclass) AS depends_on_relations
              FROM used u
              JOIN pg_proc p ON p.oid = u.oid
              JOIN pg_namespace n ON n.oid = p.pronamespace
              JOIN pg_language l ON l.oid = p.prolang
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid
                                  AND e.deptype = 'e')
             GROUP BY p.oid, n.nspname, p.proname, l.lanname
             ORDER BY 2, 3, 4""";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String family() {
        return "hygiene";
    }

    /** A schema- or database-wide check: a delta change (RECORDS, SAMPLE) gives it nothing new to look at. */
    @Override
    public boolean appliesTo(CheckScope scope) {
        return scope.kind() == CheckScope.Kind.ALL || scope.kind() == CheckScope.Kind.OBJECTS;
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        List<CheckResult> results = new ArrayList<>();
        try (Connection c = context.connect(true)) {
            ResolvedTarget target = context.target();
            Long[] oids = WatchedTables.oids(WatchedTables.resolve(c, target));
            String schema = target.config().schema();
            String write = target.config().write() == null ? null : target.config().write().function();
            VolatilityJudge judge = VolatilityJudge.load(c);
            for (Row fn : Row.query(c, FUNCTIONS, schema, target.config().merge().function(), schema, write,
                    oids, oids, oids, oids)) {
                Subject subject = new Subject("function", fn.str("schema") + "." + fn.str("name") + "("
                        + fn.str("args") + ")");
                results.addAll(searchPath(context, fn, subject));
                results.add(judge.judge(this, context, fn, subject));
            }
            c.commit();
        }
        return results;
    }

    private List<CheckResult> searchPath(CheckContext context, Row fn, Subject subject) {
        if (fn.bool("pinned")) {
            return List.of(CheckResult.pass(SEARCH_PATH, subject), CheckResult.pass(SECURITY_DEFINER, subject));
        }
        boolean definer = fn.bool("security_definer");
        String fix = "ALTER FUNCTION " + fn.str("signature") + " SET search_path = " + fn.str("quoted_schema")
                + ", pg_temp;\n-- and schema-qualify what the body uses from other schemas.";
        String evidence = "used as: " + fn.str("roles") + "\nprosecdef = " + definer + ", proconfig = {"
                + fn.str("config") + "}";
        if (definer) {
            return List.of(CheckResult.pass(SEARCH_PATH, subject),
                    CheckResult.fail(context.finding(this, SECURITY_DEFINER, Severity.HIGH, subject)
                            .title("SECURITY DEFINER function " + subject.name() + " has no fixed search_path")
                            .problem("It runs with its owner's privileges but resolves unqualified names through "
                                    + "the caller's search_path: a caller who can create objects in any schema on "
                                    + "that path (or in pg_temp) can make it run their code as the owner.")
                            .evidence("pg_proc", "text", evidence)
                            .fix(fix)
                            .build()));
        }
        return List.of(CheckResult.pass(SECURITY_DEFINER, subject),
                CheckResult.fail(context.finding(this, SEARCH_PATH, Severity.MEDIUM, subject)
                        .title("Function " + subject.name() + " has no fixed search_path")
                        .problem("It resolves unqualified names through the caller's search_path, so the same call "
                                + "can reach different objects (or a planted one) depending on who runs it; a "
                                + "generated column or index calling it can be computed differently per session.")
                        .evidence("pg_proc", "text", evidence)
                        .fix(fix)
                        .build()));
    }
}
