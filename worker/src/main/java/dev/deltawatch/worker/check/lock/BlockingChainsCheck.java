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
 * A read-only snapshot of lock waits in the target database ({@code pg_locks}, {@code pg_blocking_pids},
 * {@code pg_stat_activity}): a session waiting on a lock longer than the threshold is a HIGH finding naming the
 * blocked and the blocking queries, their pids and transaction ages. The subject is the blocked statement's
 * query id (or its first 200 characters), so the same wait pattern maps to the same fingerprint.
 */
public final class BlockingChainsCheck implements Check {
    public static final String RULE = "long-lock-wait";

    private static final String SQL = "SELECT a.pid, a.query_id, left(regexp_replace(a.query, '\\s+', ' ', 'g'), 200), "
            + "a.application_name, extract(epoch FROM now() - a.xact_start) * 1000, "
            + "extract(epoch FROM now() - min(l.waitstart)) * 1000, "
            + "(SELECT string_agg(format('pid %s (%s, transaction age %s ms, state %s): %s', b.pid, b.application_name, "
            + "  round(extract(epoch FROM now() - b.xact_start) * 1000), b.state, left(b.query, 300)), E'\\n') "
            + " FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(a.pid))), "
            + "string_agg(DISTINCT l.locktype || coalesce(' on ' || l.relation::regclass::text, ''), ', ') "
            + "FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted "
            + "WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() "
            + "AND l.waitstart < now() - make_interval(secs => ? / 1000.0) "
            + "GROUP BY a.pid, a.query_id, a.query, a.application_name, a.xact_start";

    private final LockProbeSettings settings;

    public BlockingChainsCheck(LockProbeSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "lock.blocking-chains";
    }

    @Override
    public String family() {
        return "lock";
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        List<CheckResult> out = new ArrayList<>();
        try (Connection c = context.connect(true); PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setLong(1, settings.blockingThreshold().toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object queryId = rs.getObject(2);
                    String query = rs.getString(3);
                    Subject subject = new Subject("lock-wait", queryId == null || "0".equals(queryId.toString())
                            ? query : "query_id " + queryId);
                    String evidence = "blocked: pid " + rs.getInt(1) + " (" + rs.getString(4) + ", transaction age "
                            + Math.round(rs.getDouble(5)) + " ms, waiting " + Math.round(rs.getDouble(6)) + " ms for "
                            + rs.getString(8) + "): " + query + "\nblocking:\n" + rs.getString(7);
                    out.add(CheckResult.fail(context.finding(this, RULE, Severity.HIGH, subject)
                            .title("A session waited " + Math.round(rs.getDouble(6) / 1000) + "+ s on a lock")
                            .evidence("blocking chain", "text", evidence)
                            .problem("A statement has waited longer than " + settings.blockingThreshold().toMillis()
                                    + " ms for a lock held by another transaction; users of the same rows stall.")
                            .fix("Shorten the blocking transaction (commit before slow work), set lock_timeout and "
                                    + "idle_in_transaction_session_timeout for the application role, and end the "
                                    + "blocker if it is stuck: SELECT pg_terminate_backend(<blocking pid>);")
                            .build()));
                }
            }
            c.rollback();
        }
        if (out.isEmpty()) {
            out.add(CheckResult.pass(RULE, new Subject("database", context.targetName())));
        }
        return out;
    }
}
