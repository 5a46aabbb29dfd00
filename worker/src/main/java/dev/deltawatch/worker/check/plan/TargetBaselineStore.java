package dev.deltawatch.worker.check.plan;

import dev.deltawatch.worker.check.CheckContext;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Baselines in a table on the target itself, {@code deltawatch.plan_baselines}, created if missing.
 *
 * <p>Why on the target: the baseline describes that database's plans and must outlive a worker restart; every
 * worker of the consumer group that audits the target sees the same rows (the worker itself keeps no state); and
 * it goes away with the database. The schema is deltawatch's own, so nothing of the application's is touched.
 * Where the worker's role may not create a schema, use another {@link BaselineStore}. Statements run in the
 * context's transactions, under its statement and lock timeouts. Thread-safe.
 */
public final class TargetBaselineStore implements BaselineStore {
    public static final String TABLE = "deltawatch.plan_baselines";
    private static final String[] DDL = {"CREATE SCHEMA IF NOT EXISTS deltawatch",
            "CREATE TABLE IF NOT EXISTS " + TABLE + " (target text NOT NULL, query_name text NOT NULL, "
            + "sql_hash text NOT NULL, shape text NOT NULL, p95_ms double precision NOT NULL, plan_text text NOT NULL, "
            + "relations text[] NOT NULL, taken_at timestamptz NOT NULL, PRIMARY KEY (target, query_name))"};

    /** Pools whose database already has the table (one store may serve several targets). */
    private final Set<javax.sql.DataSource> ready = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public Map<String, PlanBaseline> load(CheckContext context) throws SQLException {
        ensureTable(context);
        Map<String, PlanBaseline> out = new HashMap<>();
        try (Connection c = context.connect(true);
             PreparedStatement ps = c.prepareStatement("SELECT query_name, sql_hash, shape, p95_ms, plan_text, "
                     + "relations, taken_at FROM " + TABLE + " WHERE target = ?")) {
            ps.setString(1, context.targetName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array rel = rs.getArray(6);
                    out.put(rs.getString(1), new PlanBaseline(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getDouble(4), rs.getString(5), Set.of((String[]) rel.getArray()),
                            rs.getTimestamp(7).toInstant()));
                }
            }
            c.rollback();
        }
        return out;
    }

    @Override
    public void save(CheckContext context, PlanBaseline b) throws SQLException {
        ensureTable(context);
        try (Connection c = context.connect(false);
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (target, query_name, sql_hash, "
                     + "shape, p95_ms, plan_text, relations, taken_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                     + "ON CONFLICT (target, query_name) DO UPDATE SET sql_hash = excluded.sql_hash, "
                     + "shape = excluded.shape, p95_ms = excluded.p95_ms, plan_text = excluded.plan_text, "
                     + "relations = excluded.relations, taken_at = excluded.taken_at")) {
            ps.setString(1, context.targetName());
            ps.setString(2, b.queryName());
            ps.setString(3, b.sqlHash());
            ps.setString(4, b.shape());
            ps.setDouble(5, b.p95Ms());
            ps.setString(6, b.planText());
            ps.setArray(7, c.createArrayOf("text", b.relations().toArray()));
            ps.setTimestamp(8, Timestamp.from(b.takenAt()));
            ps.executeUpdate();
            c.commit();
        }
    }

    private void ensureTable(CheckContext context) throws SQLException {
        if (ready.contains(context.dataSource())) {
            return;
        }
        try (Connection c = context.connect(false); Statement s = c.createStatement()) {
            for (String ddl : DDL) {
                s.execute(ddl);
            }
            c.commit();
        }
        ready.add(context.dataSource());
    }
}
