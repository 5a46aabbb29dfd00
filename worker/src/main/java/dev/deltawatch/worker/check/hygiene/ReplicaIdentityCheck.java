package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code hygiene.replica-identity}: every table of the layout that a publication carries must be {@code REPLICA
 * IDENTITY FULL}, the table property capture relies on. Under DEFAULT (or USING INDEX) an update's before image holds
 * only the key: the passive version check cannot see the version a write started from (lost updates of real traffic
 * go unseen) and an unchanged TOASTed JSON value arrives without content. Under NOTHING, or DEFAULT without a primary
 * key, PostgreSQL rejects every UPDATE and DELETE of a published table: the application's writes fail (BLOCKER).
 * A table in no publication is not captured, so nothing relies on it (a pass). Subject: the table. Any
 * {@code ALTER TABLE} of a watched table (the event trigger reports {@code REPLICA IDENTITY} as one) re-runs it.
 * Read-only.
 */
public final class ReplicaIdentityCheck implements Check {
    public static final String NAME = "hygiene.replica-identity";
    public static final String RULE = "replica-identity-not-full";

    private static final Map<String, String> IDENTITY = Map.of("f", "FULL", "d", "DEFAULT", "n", "NOTHING",
            "i", "USING INDEX");

    private static final String TABLES = """
            SELECT c.oid::bigint AS oid, format('%I.%I', n.nspname, c.relname) AS quoted, c.relreplident::text AS ident,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident) AS has_ident_index,
                   (SELECT string_agg(p.pubname, ', ' ORDER BY p.pubname)
                      FROM pg_publication_tables pt JOIN pg_publication p ON p.pubname = pt.pubname
                     WHERE pt.schemaname = n.nspname AND pt.tablename = c.relname) AS publications,
                   EXISTS (SELECT 1 FROM pg_publication_tables pt JOIN pg_publication p ON p.pubname = pt.pubname
                            WHERE pt.schemaname = n.nspname AND pt.tablename = c.relname
                              AND (p.pubupdate OR p.pubdelete)) AS publishes_writes
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.oid::bigint = ANY(?)""";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String family() {
        return HygieneChecks.FAMILY;
    }

    /** A property of the layout's tables: a delta change gives it nothing new to look at. */
    @Override
    public boolean appliesTo(CheckScope scope) {
        return scope.kind() == CheckScope.Kind.ALL || scope.kind() == CheckScope.Kind.OBJECTS;
    }

    /** Every table of the layout, whatever table an OBJECTS scope names: it is one catalog row each. */
    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        List<CheckResult> results = new ArrayList<>();
        try (Connection c = context.connect(true)) {
            List<WatchedTables.Watched> watched = WatchedTables.resolve(c, context.target());
            for (Row t : Row.query(c, TABLES, (Object) WatchedTables.oids(watched))) {
                String display = watched.stream().filter(w -> w.oid() == t.lng("oid")).findFirst()
                        .map(WatchedTables.Watched::displayName).orElse(t.str("quoted"));
                results.add(judge(context, t, new Subject("table", display)));
            }
            c.commit();
        }
        return results;
    }

    private CheckResult judge(CheckContext context, Row t, Subject subject) {
        String ident = IDENTITY.getOrDefault(t.str("ident"), t.str("ident"));
        String publications = t.str("publications");
        if (ident.equals("FULL") || publications == null) {
            return CheckResult.pass(RULE, subject);
        }
        boolean rejectsWrites = t.bool("publishes_writes") && (ident.equals("NOTHING")
                || ident.equals("DEFAULT") && !t.bool("has_pk") || ident.equals("USING INDEX") && !t.bool("has_ident_index"));
        String table = subject.name();
        String consequence = rejectsWrites
                ? "PostgreSQL now rejects every UPDATE and DELETE of " + table + " (\"cannot update table because it "
                        + "does not have a replica identity and publishes updates\"): the application's writes fail, "
                        + "and capture sees none."
                : "Capture keeps streaming, but an update's before image now carries only " + (ident.equals("DEFAULT")
                        ? "the primary key" : "the replica identity index's columns") + ": the passive version check "
                        + "cannot see the version a write started from, so a lost update or a skipped version of real "
                        + "traffic goes unseen, and an unchanged TOASTed JSON value arrives without its content.";
        return CheckResult.fail(context.finding(this, RULE, rejectsWrites ? Severity.BLOCKER : Severity.HIGH, subject)
                .title(table + " is REPLICA IDENTITY " + ident + "; capture needs FULL")
                .problem("Capture (publication " + publications + ") relies on REPLICA IDENTITY FULL of " + table
                        + ", which is now " + ident + ". " + consequence)
                .evidence("pg_class", "text", "table = " + table + "\nrelreplident = " + t.str("ident") + " ("
                        + ident + ")\nprimary key = " + (t.bool("has_pk") ? "yes" : "no") + "\npublications = "
                        + publications)
                .fix("ALTER TABLE " + t.str("quoted") + " REPLICA IDENTITY FULL;")
                .reproductionSql("SELECT relreplident FROM pg_class WHERE oid = '" + t.str("quoted").replace("'", "''")
                        + "'::regclass;")
                .build());
    }
}
