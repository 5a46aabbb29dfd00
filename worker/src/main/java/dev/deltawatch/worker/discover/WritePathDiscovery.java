package dev.deltawatch.worker.discover;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.contracts.TargetConfig.Argument;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the write function: one whose body UPDATEs or INSERTs INTO the delta's table and RAISEs on a version
 * mismatch, else the application's own save from pg_stat_statements ({@link WriteStatementDiscovery}). Argument roles come from what each argument is compared with in the body (the key or record column, the
 * owner, the version column) and from types (the jsonb argument is the patch); the conflict's SQLSTATE and message
 * from the RAISE that reads like a conflict. Where none fits, the notes say so and point at the statement form.
 */
final class WritePathDiscovery {
    /** What the write path tells the rest of discovery: the config part, and the version column it compares. */
    record Found(TargetConfig.Write write, String function, String versionColumn, boolean bumpsByOne,
                 String patchArgument) {
        static Found none() {
            return new Found(null, null, null, false, null);
        }
    }

    private static final Pattern RAISE = Pattern.compile(
            "RAISE\\s+EXCEPTION\\s+'((?:[^']|'')*)'([^;]*);", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ERRCODE = Pattern.compile("ERRCODE\\s*=\\s*'([0-9A-Z]{5})'", Pattern.CASE_INSENSITIVE);
    private static final Pattern CONFLICT_WORDS = Pattern.compile("conflict|stale|concurrent|changed since|modified",
            Pattern.CASE_INSENSITIVE);
    /** Messages about the caller's input, not about a concurrent writer ('expected version is required'). */
    private static final Pattern INPUT_WORDS = Pattern.compile("required|must|invalid|not found|missing|null",
            Pattern.CASE_INSENSITIVE);

    private WritePathDiscovery() {}

    static Found discover(Connection c, Functions functions, Layout layout, Set<String> tableColumns, Notes notes)
            throws SQLException {
        Pattern writes = Pattern.compile("\\b(UPDATE|INSERT\\s+INTO)\\s+(ONLY\\s+)?(\\w+\\.)?\"?"
                + Pattern.quote(layout.deltaHome()) + "\"?\\b", Pattern.CASE_INSENSITIVE);
        List<String> rejected = new ArrayList<>();
        for (Functions.Fn fn : functions.all()) {
            if (fn.body() == null || !writes.matcher(fn.body()).find()
                    || !fn.body().toLowerCase(Locale.ROOT).contains(layout.deltaColumn().toLowerCase(Locale.ROOT))) {
                continue;
            }
            Found found = judge(fn, layout, tableColumns, notes, rejected);
            if (found != null) {
                return found;
            }
        }
        rejected.forEach(r -> notes.plain("write", r));
        Found statement = WriteStatementDiscovery.discover(c, layout, tableColumns, notes);
        if (statement != null) {
            return statement;
        }
        notes.add("write", Certainty.LIKELY, "no write function: no function of the schema writes "
                + layout.deltaHome() + "." + layout.deltaColumn() + " and raises on a version mismatch, and no "
                + "statement in pg_stat_statements saves it under a version predicate");
        notes.todo("write: no write function found. If the application writes with its own SQL, declare it as "
                + "write.statement with :key" + (layout.owner() != null ? " :owner" : "") + " :patch :expectedVersion "
                + "and a conflict (sqlState + message, or zeroRows: true); until then the lock and edge probes skip");
        notes.summary("write: none found (declare write.statement for the probes)");
        return Found.none();
    }

    private static Found judge(Functions.Fn fn, Layout layout, Set<String> tableColumns, Notes notes,
                               List<String> rejected) {
        String body = fn.body();
        Matcher raise = RAISE.matcher(body);
        String sqlState = null;
        String message = null;
        int best = 0;
        while (raise.find()) {
            Matcher code = ERRCODE.matcher(raise.group(2));
            int score = conflictScore(raise.group(1));
            if (score > best && code.find()) {
                best = score;
                sqlState = code.group(1).toUpperCase(Locale.ROOT);
                String literal = raise.group(1).replace("''", "'");
                int placeholder = literal.indexOf('%');
                message = (placeholder < 0 ? literal : literal.substring(0, placeholder)).strip();
            }
        }
        if (sqlState == null) {
            rejected.add(fn.signature() + " writes " + layout.deltaHome() + " but raises no conflict with a literal "
                    + "ERRCODE and a message naming the version or a conflict: not taken as the write path");
            return null;
        }
        Map<String, String> compared = comparisons(body, fn.argNames());
        List<Argument> args = new ArrayList<>();
        String versionColumn = null;
        String patch = null;
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < fn.argNames().size(); i++) {
            String name = fn.argNames().get(i);
            String column = compared.get(name);
            Argument.Role role = null;
            if (fn.argTypes().get(i).equals("jsonb") && patch == null) {
                role = Argument.Role.PATCH;
                patch = name;
            } else if (column != null && (column.equals(layout.key()) || column.equals(layout.record()))) {
                role = Argument.Role.KEY;
            } else if (column != null && column.equals(layout.owner())) {
                role = Argument.Role.OWNER;
            } else if (column != null && tableColumns.contains(column)) {
                role = Argument.Role.EXPECTED_VERSION;
                versionColumn = column;
            }
            if (role == null) {
                if (i >= fn.argNames().size() - fn.defaults()) {
                    roles.add(name + " (has a default: left out)");
                    break;
                }
                rejected.add(fn.signature() + ": cannot tell what argument " + name + " is (it is compared with no "
                        + "key, owner or version column): not taken as the write path");
                return null;
            }
            args.add(Argument.of(role));
            roles.add(name + " -> " + roleName(role) + (column != null ? " (compared with " + column + ")" : ""));
        }
        if (versionColumn == null || patch == null || args.stream().noneMatch(a -> a.role() == Argument.Role.KEY)) {
            rejected.add(fn.signature() + ": no argument is compared with a version column, or none is the key or "
                    + "the patch: not taken as the write path");
            return null;
        }
        boolean bumps = Pattern.compile("\\b" + Pattern.quote(versionColumn) + "\\s*=\\s*(\\w+\\.)?"
                + Pattern.quote(versionColumn) + "\\s*\\+\\s*1\\b").matcher(body).find();
        notes.add("write.function", Certainty.LIKELY, fn.signature() + " writes " + layout.deltaHome() + "."
                + layout.deltaColumn() + " only where " + versionColumn + " equals the expected version");
        notes.add("write.arguments", Certainty.LIKELY, "argument roles from the body: " + String.join("; ", roles));
        notes.add("write.conflict", Certainty.CERTAIN, "read from its RAISE: SQLSTATE " + sqlState + ", message '"
                + message + "...'");
        notes.summary("write: " + fn.signature() + ", conflict " + sqlState + " '" + message + "'");
        TargetConfig.Write write = new TargetConfig.Write(fn.name(), args, null,
                new TargetConfig.Conflict(sqlState, message, false));
        return new Found(write, fn.name(), versionColumn, bumps, patch);
    }

    /** 2 for a message naming a conflict, 1 for one naming the version only, 0 for input validation. */
    private static int conflictScore(String message) {
        if (INPUT_WORDS.matcher(message).find()) {
            return 0;
        }
        return CONFLICT_WORDS.matcher(message).find() ? 2 : message.toLowerCase(Locale.ROOT).contains("version") ? 1 : 0;
    }

    /** argument name -> the column it is compared with by {@code =} (either side, qualifiers dropped). */
    private static Map<String, String> comparisons(String body, List<String> argNames) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?:\\w+\\.)?\"?(\\w+)\"?\\s*=\\s*(?:\\w+\\.)?\"?(\\w+)\"?\\b(?!\\s*\\()")
                .matcher(body);
        while (m.find()) {
            String left = m.group(1);
            String right = m.group(2);
            if (argNames.contains(right) && !argNames.contains(left)) {
                out.putIfAbsent(right, left);
            } else if (argNames.contains(left) && !argNames.contains(right)) {
                out.putIfAbsent(left, right);
            }
        }
        return out;
    }

    private static String roleName(Argument.Role role) {
        return switch (role) {
            case KEY -> "key";
            case OWNER -> "owner";
            case PATCH -> "patch";
            case EXPECTED_VERSION -> "expectedVersion";
            case CONSTANT -> "constant";
        };
    }
}
