package dev.deltawatch.worker.check.lock;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings the application role runs under, read-only from {@code pg_db_role_setting} and {@code pg_settings}:
 * {@code lock_timeout}, {@code statement_timeout} and {@code idle_in_transaction_session_timeout} at 0 (unbounded)
 * are MEDIUM each (a stuck transaction holds its locks and everyone queues behind it); a
 * {@code default_transaction_isolation} of {@code read uncommitted} is MEDIUM (below the read committed minimum).
 *
 * <p>The effective value follows PostgreSQL's precedence: role in this database, then role, then this database, then
 * the server. The server value is {@code pg_settings.reset_val} unless the connecting role has its own setting for
 * the name, in which case it falls back to {@code boot_val} (pg_settings shows no other server-wide value).
 */
public final class LockSettingsCheck implements Check {
    public static final String RULE_UNBOUNDED = "unbounded-timeout";
    public static final String RULE_ISOLATION = "isolation-below-read-committed";
    static final List<String> TIMEOUTS = List.of("lock_timeout", "statement_timeout",
            "idle_in_transaction_session_timeout");

    private final LockProbeSettings settings;

    public LockSettingsCheck(LockProbeSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "lock.settings";
    }

    @Override
    public String family() {
        return "lock";
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        List<CheckResult> out = new ArrayList<>();
        try (Connection c = context.connect(true)) {
            String role = settings.applicationRole() == null ? currentUser(c) : settings.applicationRole();
            for (String name : TIMEOUTS) {
                String[] value = effective(c, role, name);
                Subject subject = new Subject("setting", role + "/" + name);
                if ("0".equals(value[0])) {
                    out.add(CheckResult.fail(context.finding(this, RULE_UNBOUNDED, Severity.MEDIUM, subject)
                            .title(name + " is unbounded for role " + role)
                            .evidence("effective setting", "text", name + " = 0 (from " + value[1] + ")")
                            .problem("With " + name + " = 0 a stuck or slow transaction of role " + role + " waits "
                                    + "or holds its locks forever, and every writer of the same rows queues behind it.")
                            .fix("ALTER ROLE " + role + " SET " + name + " = '" + suggested(name) + "';")
                            .build()));
                } else {
                    out.add(CheckResult.pass(RULE_UNBOUNDED, subject));
                }
            }
            String[] iso = effective(c, role, "default_transaction_isolation");
            Subject subject = new Subject("setting", role + "/default_transaction_isolation");
            if ("read uncommitted".equalsIgnoreCase(iso[0])) {
                out.add(CheckResult.fail(context.finding(this, RULE_ISOLATION, Severity.MEDIUM, subject)
                        .title("default_transaction_isolation is read uncommitted for role " + role)
                        .evidence("effective setting", "text", "default_transaction_isolation = " + iso[0]
                                + " (from " + iso[1] + ")")
                        .problem("The declared isolation is below read committed; PostgreSQL runs it as read "
                                + "committed, but code written against this setting assumes weaker guarantees.")
                        .fix("ALTER ROLE " + role + " SET default_transaction_isolation = 'read committed';")
                        .build()));
            } else {
                out.add(CheckResult.pass(RULE_ISOLATION, subject));
            }
            c.rollback();
        }
        return out;
    }

    private static String suggested(String name) {
        return switch (name) {
            case "lock_timeout" -> "5s";
            case "statement_timeout" -> "30s";
            default -> "60s";
        };
    }

    private static String currentUser(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_user"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** {value, where it came from} for {@code name} as role {@code role} would get it in this database. */
    static String[] effective(Connection c, String role, String name) throws Exception {
        String sql = "WITH r AS (SELECT oid FROM pg_roles WHERE rolname = ?), "
                + "d AS (SELECT oid FROM pg_database WHERE datname = current_database()), "
                + "cfg AS (SELECT s.setrole, s.setdatabase, split_part(x, '=', 1) AS k, "
                + "substr(x, strpos(x, '=') + 1) AS v FROM pg_db_role_setting s, unnest(s.setconfig) x) "
                + "SELECT v, src FROM ("
                + " SELECT v, 'role in database' AS src, 1 AS o FROM cfg, r, d WHERE setrole = r.oid AND setdatabase = d.oid AND k = ?"
                + " UNION ALL SELECT v, 'role', 2 FROM cfg, r WHERE setrole = r.oid AND setdatabase = 0 AND k = ?"
                + " UNION ALL SELECT v, 'database', 3 FROM cfg, d WHERE setrole = 0 AND setdatabase = d.oid AND k = ?"
                + " UNION ALL SELECT CASE WHEN EXISTS (SELECT 1 FROM cfg WHERE k = ? AND setrole = "
                + "   (SELECT oid FROM pg_roles WHERE rolname = current_user)) THEN boot_val ELSE reset_val END,"
                + "   'server', 4 FROM pg_settings WHERE name = ?) z ORDER BY o LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, role);
            for (int i = 2; i <= 6; i++) {
                ps.setString(i, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new String[] {null, "nowhere"};
                }
                String v = rs.getString(1);
                return new String[] {normalize(v), rs.getString(2)};
            }
        }
    }

    /** Role settings hold text like {@code 0}, {@code 5s} or {@code '5s'}; only "is it zero" matters. */
    private static String normalize(String v) {
        if (v == null) {
            return null;
        }
        String s = v.strip();
        if (s.startsWith("'") && s.endsWith("'") && s.length() >= 2) {
            s = s.substring(1, s.length() - 1);
        }
        return s.matches("0+(ms|s|min|h|d)?") ? "0" : s;
    }
}
