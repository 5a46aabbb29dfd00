package dev.deltawatch.worker.discover;

import dev.deltawatch.contracts.TargetConfig.Merge.Role;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds how the system merges: a {@code (jsonb, jsonb) -> jsonb} function called with the mirror and delta columns
 * in a generated column, a view or a function (which also gives the argument order), or {@code mirror || delta}
 * there. Failing that, the one such function the schema has (argument order from the parameter names), or {@code ||}
 * as a guess with a TODO.
 */
final class MergeDiscovery {
    /** The merge: a function (null for {@code ||}) and its argument roles. */
    record Found(String function, List<Role> arguments) {}

    private static final String DEFINITIONS = """
            SELECT 'generated column ' || c.relname || '.' || a.attname AS what, pg_get_expr(d.adbin, d.adrelid) AS def
              FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
              JOIN pg_class c ON c.oid = d.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND a.attgenerated = 's'
            UNION ALL
            SELECT 'view ' || c.relname, pg_get_viewdef(c.oid)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relkind IN ('v', 'm')
            UNION ALL
            SELECT 'function ' || p.proname, p.prosrc
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = ? AND p.prokind = 'f'""";

    private MergeDiscovery() {}

    static Found discover(Connection c, String schema, Functions functions, Layout layout, Notes notes)
            throws SQLException {
        List<Map<String, Object>> defs = Sql.rows(c, DEFINITIONS, schema, schema, schema);
        String m = "(?:\\w+\\.)?\"?" + Pattern.quote(layout.mirrorColumn()) + "\"?";
        String d = "(?:\\w+\\.)?\"?" + Pattern.quote(layout.deltaColumn()) + "\"?";
        for (Functions.Fn fn : functions.merges()) {
            Pattern call = Pattern.compile("\\b" + Pattern.quote(fn.name()) + "\\s*\\(\\s*(?:COALESCE\\()?\\s*(" + m
                    + "|" + d + ")\\b[^,]*,\\s*(?:COALESCE\\()?\\s*(" + m + "|" + d + ")\\b", Pattern.CASE_INSENSITIVE);
            for (Map<String, Object> def : defs) {
                Matcher hit = call.matcher(String.valueOf(def.get("def")));
                if (hit.find() && !sameColumn(hit.group(1), hit.group(2))) {
                    boolean mirrorFirst = hit.group(1).replace("\"", "").endsWith(layout.mirrorColumn());
                    List<Role> args = mirrorFirst ? List.of(Role.MIRROR, Role.DELTA) : List.of(Role.DELTA, Role.MIRROR);
                    notes.add("merge", Certainty.CERTAIN, Sql.text(def, "what") + " calls " + hit.group().strip()
                            + "...): " + fn.signature() + " is the merge, arguments " + roles(args));
                    notes.summary("merge: " + fn.signature() + " " + roles(args) + " (seen in " + Sql.text(def, "what")
                            + ")");
                    return new Found(fn.name(), args);
                }
            }
        }
        Pattern concat = Pattern.compile("\\b" + m + "\\s*\\|\\|\\s*(?:COALESCE\\()?\\s*" + d + "\\b",
                Pattern.CASE_INSENSITIVE);
        for (Map<String, Object> def : defs) {
            Matcher hit = concat.matcher(String.valueOf(def.get("def")));
            if (hit.find()) {
                notes.add("merge", Certainty.CERTAIN, Sql.text(def, "what") + " merges with " + hit.group().strip()
                        + ": the built-in || operator, no merge function");
                notes.summary("merge: || (seen in " + Sql.text(def, "what") + ")");
                return new Found(null, List.of(Role.MIRROR, Role.DELTA));
            }
        }
        List<Functions.Fn> candidates = functions.merges();
        if (candidates.size() == 1) {
            Functions.Fn fn = candidates.get(0);
            List<String> names = fn.argNames();
            boolean deltaFirst = Words.deltaScore(names.get(0)) > Words.deltaScore(names.get(1));
            List<Role> args = deltaFirst ? List.of(Role.DELTA, Role.MIRROR) : List.of(Role.MIRROR, Role.DELTA);
            List<String> users = new ArrayList<>();
            defs.stream().filter(def -> String.valueOf(def.get("def")).contains(fn.name() + "("))
                    .forEach(def -> users.add(Sql.text(def, "what")));
            notes.add("merge", Certainty.LIKELY, fn.signature() + " is the schema's only (jsonb, jsonb) -> jsonb "
                    + "function" + (users.isEmpty() ? "" : ", called by " + String.join(", ", users))
                    + "; no call with both " + layout.mirrorColumn() + " and " + layout.deltaColumn() + " was seen");
            notes.add("merge.arguments", Certainty.LIKELY, "order from its parameter names (" + names.get(0) + ", "
                    + names.get(1) + "): " + roles(args));
            notes.summary("merge: " + fn.signature() + " " + roles(args) + " (the only candidate)");
            return new Found(fn.name(), args);
        }
        notes.add("merge", Certainty.GUESS, "no generated column, view or function merges " + layout.mirrorColumn()
                + " and " + layout.deltaColumn() + (candidates.isEmpty() ? ", and no (jsonb, jsonb) -> jsonb function "
                + "exists" : "; candidates: " + candidates.stream().map(Functions.Fn::signature).toList())
                + ": assumed ||");
        notes.todo("merge: name the merge function (merge.function, merge.arguments) if it is not ||");
        notes.summary("merge: || (assumed: nothing merges the two columns in the schema)");
        return new Found(null, List.of(Role.MIRROR, Role.DELTA));
    }

    private static boolean sameColumn(String a, String b) {
        return a.replace("\"", "").replaceAll("^\\w+\\.", "").equals(b.replace("\"", "").replaceAll("^\\w+\\.", ""));
    }

    static String roles(List<Role> args) {
        return "[" + args.get(0).name().toLowerCase() + ", " + args.get(1).name().toLowerCase() + "]";
    }
}
