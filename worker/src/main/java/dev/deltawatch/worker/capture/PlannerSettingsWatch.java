package dev.deltawatch.worker.capture;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.SchemaChange;
import dev.deltawatch.contracts.SourcePosition;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the planner settings new sessions of this database get from {@code ALTER DATABASE ... SET} and
 * {@code ALTER ROLE ... [IN DATABASE ...] SET} ({@code pg_db_role_setting}): those are global objects, so no event
 * trigger fires and logical decoding carries nothing. One read-only query per interval; every difference from the
 * last poll is published as a {@link SchemaChange#PLANNER_SETTING} change, one per changed scope, only then
 * remembered (a poll Kafka refused is reported again at the next). The roles watched are the database itself (every
 * role) and capture's login role, the role deltawatch's checks run as: a setting of another role changes no plan
 * deltawatch measures. The first poll of a capture is the baseline (a change made while no capture ran is seen by
 * the worker's start-up pass and the slow sweep). Runs on capture's scheduler thread.
 */
final class PlannerSettingsWatch implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PlannerSettingsWatch.class);

    /**
     * What plans depend on beyond the "Query Tuning" categories (enable_*, costs, GEQO, jit, plan_cache_mode,
     * default_statistics_target, ...): memory that decides hash and sort strategies, parallelism, and the
     * search_path that decides which objects a query's names resolve to.
     */
    private static final String[] ALSO_PLANNER = {"work_mem", "hash_mem_multiplier", "search_path",
        "effective_io_concurrency", "max_parallel_workers_per_gather", "max_parallel_workers",
        "parallel_leader_participation"};

    private static final String QUERY = """
            SELECT CASE WHEN s.setrole = 0 THEN 'ALTER DATABASE' ELSE 'ALTER ROLE' END AS command,
                   CASE WHEN s.setrole = 0 THEN quote_ident(d.datname)
                        WHEN s.setdatabase = 0 THEN quote_ident(r.rolname)
                        ELSE quote_ident(r.rolname) || ' IN DATABASE ' || quote_ident(d.datname) END AS object,
                   split_part(cfg, '=', 1) AS name, substr(cfg, strpos(cfg, '=') + 1) AS value
              FROM pg_db_role_setting s
             CROSS JOIN LATERAL unnest(s.setconfig) AS cfg
              LEFT JOIN pg_database d ON d.oid = s.setdatabase
              LEFT JOIN pg_roles r ON r.oid = s.setrole
             WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
               AND s.setrole IN (0, (SELECT oid FROM pg_roles WHERE rolname = current_user))
               AND split_part(cfg, '=', 1) IN (SELECT name FROM pg_settings
                                                WHERE category LIKE 'Query Tuning%' OR name = ANY (?))""";

    /** Where a setting is set: the command that sets it and its object ({@code staging}, {@code app IN DATABASE staging}). */
    record Scope(String command, String object) implements Comparable<Scope> {
        @Override
        public int compareTo(Scope o) {
            int c = command.compareTo(o.command);
            return c != 0 ? c : object.compareTo(o.object);
        }
    }

    private final PostgresAddress pg;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Clock clock;
    private Map<Scope, Map<String, String>> known;

    PlannerSettingsWatch(PostgresAddress pg, Producer<String, byte[]> producer, String topic, Clock clock) {
        this.pg = pg;
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
    }

    @Override
    public void run() {
        try (Connection c = pg.connect("deltawatch-capture")) {
            Map<Scope, Map<String, String>> now = read(c);
            if (known == null) {
                known = now; // the baseline of this capture: nothing to report
                return;
            }
            List<SchemaChange> changes = diff(known, now);
            if (!changes.isEmpty()) {
                publish(c, changes);
                known = now;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("capture: planner settings poll failed, retrying at the next interval: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<Scope, Map<String, String>> read(Connection c) throws SQLException {
        Map<Scope, Map<String, String>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(QUERY)) {
            ps.setArray(1, c.createArrayOf("text", ALSO_PLANNER));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(new Scope(rs.getString(1), rs.getString(2)), s -> new TreeMap<>())
                            .put(rs.getString(3), rs.getString(4));
                }
            }
        }
        return out;
    }

    /**
     * One change per scope whose settings differ, its identity the statement's remainder with every clause:
     * {@code staging SET enable_bitmapscan = off, SET enable_indexscan = off} (several settings changed between two
     * polls stay together, so the re-audit's trigger names them all).
     */
    static List<SchemaChange> diff(Map<Scope, Map<String, String>> before, Map<Scope, Map<String, String>> after) {
        TreeSet<Scope> scopes = new TreeSet<>(before.keySet());
        scopes.addAll(after.keySet());
        List<SchemaChange> out = new ArrayList<>();
        for (Scope scope : scopes) {
            Map<String, String> was = before.getOrDefault(scope, Map.of());
            Map<String, String> now = after.getOrDefault(scope, Map.of());
            TreeSet<String> names = new TreeSet<>(was.keySet());
            names.addAll(now.keySet());
            List<String> clauses = new ArrayList<>();
            for (String name : names) {
                if (!Objects.equals(was.get(name), now.get(name))) {
                    clauses.add(now.containsKey(name) ? "SET " + name + " = " + now.get(name) : "RESET " + name);
                }
            }
            if (!clauses.isEmpty()) {
                out.add(new SchemaChange(scope.command(), SchemaChange.PLANNER_SETTING,
                        scope.object() + " " + String.join(", ", clauses), null, null, null));
            }
        }
        return out;
    }

    private void publish(Connection c, List<SchemaChange> changes) throws SQLException, InterruptedException {
        String lsn;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            lsn = rs.getString(1);
        }
        SourcePosition position = new SourcePosition(lsn, null, clock.instant());
        for (int i = 0; i < changes.size(); i++) {
            // Not in the WAL: the id is the WAL position when the difference was seen plus its index.
            ChangeEvent event = ChangeEvent.schemaChange("settings:" + lsn + ":" + i, changes.get(i), position,
                    clock.instant());
            try {
                producer.send(new ProducerRecord<>(topic, event.partitionKey(), Contracts.encode(event))).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("Kafka refused a planner setting change: " + e.getCause().getMessage(),
                        e);
            }
            LOG.info("capture: planner setting changed: {} {}", changes.get(i).commandTag(),
                    changes.get(i).objectIdentity());
        }
    }
}
