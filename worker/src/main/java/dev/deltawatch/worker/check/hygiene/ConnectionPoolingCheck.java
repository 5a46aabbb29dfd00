package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.SamplingCheck;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Connection pooling, from the sessions the target database sees over a short window (see {@link SessionActivity}):
 * new sessions per minute above {@code maxNewSessionsPerMinute}, or at least {@code maxSubSecondBackends} client
 * backends seen opening and closing within a second, means clients connect per request: HIGH "no connection pooling evident".
 * Client connections server-wide above {@code maxConnectionsShare} of {@code max_connections}: HIGH. Figures per
 * application, the age distribution of open backends, idle and idle-in-transaction counts go in the evidence.
 * The run blocks for the configured window, mostly asleep: a {@link SamplingCheck}, which {@code deltawatch check}
 * runs alongside the other checks.
 */
public final class ConnectionPoolingCheck implements SamplingCheck {
    public static final String NAME = "hygiene.connection-pooling";
    public static final String NO_POOLING = "no-connection-pooling";
    public static final String NEAR_MAX = "connections-near-max";

    private static final String SERVER = """
            SELECT count(*) FILTER (WHERE backend_type = 'client backend') AS in_use,
                   count(*) FILTER (WHERE backend_type = 'client backend'
                                      AND application_name LIKE 'deltawatch-%') AS own,
                   count(*) FILTER (WHERE backend_type = 'client backend' AND state = 'idle') AS idle,
                   count(*) FILTER (WHERE backend_type = 'client backend'
                                      AND state LIKE 'idle in transaction%') AS idle_in_transaction,
                   current_setting('max_connections')::int AS max_connections,
                   current_setting('superuser_reserved_connections')::int AS reserved
              FROM pg_stat_activity""";

    private final HygieneSettings settings;

    public ConnectionPoolingCheck(HygieneSettings settings) {
        this.settings = settings;
    }

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
        SessionActivity.Window window = SessionActivity.watch(context, settings.poolingWindow(),
                settings.poolingPollInterval());
        Row server;
        String database;
        try (Connection c = context.connect(true)) {
            Row.query(c, "SELECT pg_stat_clear_snapshot()");
            server = Row.one(c, SERVER);
            database = Row.one(c, "SELECT current_database() AS d").str("d");
            c.commit();
        }
        String figures = figures(window, server);
        List<CheckResult> results = new ArrayList<>();
        results.add(churn(context, new Subject("database", database), window, figures));
        results.add(nearMax(context, new Subject("server", "max_connections"), server, figures));
        return results;
    }

    private CheckResult churn(CheckContext context, Subject subject, SessionActivity.Window w, String figures) {
        boolean churn = w.newPerMinute() > settings.maxNewSessionsPerMinute();
        boolean shortLived = w.subSecondBackends() >= settings.maxSubSecondBackends();
        if (!churn && !shortLived) {
            return CheckResult.pass(NO_POOLING, subject);
        }
        return CheckResult.fail(context.finding(this, NO_POOLING, Severity.HIGH, subject)
                .title(String.format(Locale.ROOT, "No connection pooling evident on %s: %.0f new sessions/min, "
                        + "%d sub-second backends", subject.name(), w.newPerMinute(), w.subSecondBackends()))
                .problem("Clients open a session per request. Each PostgreSQL session is a process fork plus "
                        + "authentication (milliseconds of latency, CPU on the server), its caches start cold, and a "
                        + "burst of requests becomes a burst of connections that can exhaust max_connections.")
                .evidence("sessions", "table", figures)
                .fix("Put a pool in front of the database: an application-side pool (HikariCP, pgx pool, "
                        + "SQLAlchemy QueuePool, Prisma connection_limit) sized to the workload, or PgBouncer in "
                        + "transaction mode; reuse connections instead of connecting per request.")
                .expectedImprovement("new sessions per minute close to 0 in steady state; connect latency off the "
                        + "request path")
                .build());
    }

    private CheckResult nearMax(CheckContext context, Subject subject, Row server, String figures) {
        double share = (double) server.lng("in_use") / server.lng("max_connections");
        if (share <= settings.maxConnectionsShare()) {
            return CheckResult.pass(NEAR_MAX, subject);
        }
        return CheckResult.fail(context.finding(this, NEAR_MAX, Severity.HIGH, subject)
                .title(String.format(Locale.ROOT, "%d of %d connections in use (%.0f%%, threshold %.0f%%)",
                        server.lng("in_use"), server.lng("max_connections"), share * 100,
                        settings.maxConnectionsShare() * 100))
                .problem("The server is close to refusing connections (FATAL: sorry, too many clients already). "
                        + server.lng("idle") + " of them are idle and " + server.lng("idle_in_transaction")
                        + " idle in transaction: slots held by sessions doing nothing.")
                .evidence("sessions", "table", figures)
                .fix("Pool connections (PgBouncer in transaction mode, or smaller application pools: their sum "
                        + "must stay under max_connections), and set idle_in_transaction_session_timeout "
                        + "(e.g. ALTER DATABASE ... SET idle_in_transaction_session_timeout = '60s').")
                .build());
    }

    private static String figures(SessionActivity.Window w, Row server) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "window: %.1f s; new sessions (pg_stat_database.sessions, deltawatch's own excluded): %d = %.1f/min; "
                        + "mean session time per new session: %.0f ms; backends seen living < 1 s: %d%n"
                        + "server: %d client connections in use of max_connections %d (%d reserved for superusers), "
                        + "%d idle, %d idle in transaction, %d of them deltawatch's%n"
                        + "application | started in window (seen) | seen living < 1 s | open now | open ages min/median/max s%n",
                w.seconds(), w.newSessions(), w.newPerMinute(), w.meanSessionMs(), w.subSecondBackends(),
                server.lng("in_use"), server.lng("max_connections"), server.lng("reserved"), server.lng("idle"),
                server.lng("idle_in_transaction"), server.lng("own")));
        for (Map.Entry<String, SessionActivity.PerApplication> e : w.applications().entrySet()) {
            List<Double> ages = e.getValue().openAges.stream().sorted().toList();
            String dist = ages.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f / %.1f / %.1f", ages.get(0),
                    ages.get(ages.size() / 2), ages.get(ages.size() - 1));
            b.append(String.format(Locale.ROOT, "%s | %d | %d | %d | %s%n", e.getKey().isEmpty() ? "(none)"
                    : e.getKey(), e.getValue().started.size(), e.getValue().subSecond.size(), ages.size(), dist));
        }
        return b.toString();
    }
}
