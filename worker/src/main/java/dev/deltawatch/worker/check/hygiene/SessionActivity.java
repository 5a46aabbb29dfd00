package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.worker.check.CheckContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Watches the target database's sessions for a window: {@code pg_stat_database.sessions} (PostgreSQL 14+) at both
 * ends, and {@code pg_stat_activity} polled in between to attribute new and sub-second backends to an
 * {@code application_name}. deltawatch's own sessions ({@code application_name} starting {@code deltawatch-}) are
 * left out of every figure; those it opened during the window are subtracted from the session counter.
 *
 * <p>Each read is its own short read-only transaction, so nothing is held idle in transaction while waiting, and
 * {@code pg_stat_clear_snapshot()} makes sure a cached statistics snapshot is never reused.
 */
final class SessionActivity {
    static final String OWN_PREFIX = "deltawatch-";

    /**
     * Per application: backends first seen started inside the window; backends seen and gone again having lived
     * under a second (the signature of connect-per-request: a pool warming up opens young backends too, but they
     * stay); ages of the backends open at the last poll.
     */
    static final class PerApplication {
        final Set<String> started = new HashSet<>();
        final Set<String> subSecond = new HashSet<>();
        final Map<String, Double> lastSeenStart = new HashMap<>();
        List<Double> openAges = new ArrayList<>();
    }

    /** What the window showed. {@code newSessions} excludes deltawatch's own. */
    record Window(double seconds, long newSessions, double meanSessionMs, Map<String, PerApplication> applications) {
        double newPerMinute() {
            return seconds <= 0 ? 0 : newSessions * 60.0 / seconds;
        }

        int subSecondBackends() {
            return applications.values().stream().mapToInt(a -> a.subSecond.size()).sum();
        }
    }

    private SessionActivity() {}

    static Window watch(CheckContext context, Duration window, Duration poll) throws SQLException, InterruptedException {
        Row before = counters(context);
        double start = before.dbl("at");
        Map<String, PerApplication> apps = new TreeMap<>();
        Set<String> ownStarted = new HashSet<>();
        long deadline = System.nanoTime() + window.toNanos();
        do {
            poll(context, start, apps, ownStarted);
            Thread.sleep(poll.toMillis());
        } while (System.nanoTime() < deadline);
        poll(context, start, apps, ownStarted);
        Row after = counters(context);
        double seconds = after.dbl("at") - start;
        long sessions = Math.max(0, after.lng("sessions") - before.lng("sessions") - ownStarted.size());
        long rawNew = after.lng("sessions") - before.lng("sessions");
        double meanMs = rawNew <= 0 ? 0 : (after.dbl("session_time") - before.dbl("session_time")) / rawNew;
        return new Window(seconds, sessions, meanMs, apps);
    }

    private static void poll(CheckContext context, double start, Map<String, PerApplication> apps,
                             Set<String> ownStarted) throws SQLException {
        Map<String, List<Double>> open = new TreeMap<>();
        Map<String, Set<String>> present = new HashMap<>();
        double now = 0;
        for (Row b : backends(context, start)) {
            now = b.dbl("now");
            String app = b.str("app");
            String id = b.str("pid") + "@" + b.str("started");
            if (app.startsWith(OWN_PREFIX)) {
                if (b.bool("in_window")) {
                    ownStarted.add(id);
                }
                continue;
            }
            PerApplication a = apps.computeIfAbsent(app, k -> new PerApplication());
            if (b.bool("in_window")) {
                a.started.add(id);
            }
            a.lastSeenStart.put(id, b.dbl("started"));
            present.computeIfAbsent(app, k -> new HashSet<>()).add(id);
            open.computeIfAbsent(app, k -> new ArrayList<>()).add(b.dbl("age"));
        }
        double polledAt = now > 0 ? now : System.currentTimeMillis() / 1000.0;
        for (Map.Entry<String, PerApplication> e : apps.entrySet()) {
            PerApplication a = e.getValue();
            Set<String> here = present.getOrDefault(e.getKey(), Set.of());
            // Gone since the last poll: it lived at most from its start until now.
            a.lastSeenStart.entrySet().removeIf(seen -> {
                if (here.contains(seen.getKey())) {
                    return false;
                }
                if (polledAt - seen.getValue() < 1.0) {
                    a.subSecond.add(seen.getKey());
                }
                return true;
            });
            a.openAges = open.getOrDefault(e.getKey(), List.of());
        }
    }

    private static Row counters(CheckContext context) throws SQLException {
        try (Connection c = context.connect(true)) {
            if (c.getMetaData().getDatabaseMajorVersion() < 14) {
                throw new SQLException("the connection-pooling check needs PostgreSQL 14 or later "
                        + "(pg_stat_database.sessions); this server is " + c.getMetaData().getDatabaseProductVersion());
            }
            Row.query(c, "SELECT pg_stat_clear_snapshot()");
            Row r = Row.one(c, "SELECT extract(epoch FROM clock_timestamp())::float8 AS at, sessions, session_time FROM pg_stat_database "
                    + "WHERE datname = current_database()");
            c.commit();
            return r;
        }
    }

    private static List<Row> backends(CheckContext context, double start) throws SQLException {
        try (Connection c = context.connect(true)) {
            List<Row> rows = Row.query(c, "SELECT pid, extract(epoch FROM backend_start)::float8 AS started, "
                    + "coalesce(application_name, '') AS app, backend_start >= to_timestamp(?) AS in_window, "
                    + "extract(epoch FROM clock_timestamp() - backend_start)::float8 AS age, "
                    + "extract(epoch FROM clock_timestamp())::float8 AS now "
                    + "FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' "
                    + "AND pid <> pg_backend_pid()", start);
            c.commit();
            return rows;
        }
    }
}
