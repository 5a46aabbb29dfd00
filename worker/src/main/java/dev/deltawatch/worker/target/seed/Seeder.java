package dev.deltawatch.worker.target.seed;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds the reference target's {@code pfa_records} with generated records: installs the target if missing,
 * truncates or appends after the highest id, streams rows through parallel COPY, rebuilds what it dropped,
 * moves the identity sequence past the new ids, and ANALYZEs.
 */
public final class Seeder {
    /** The reference target's records table (the seed writes only the reference schema it ships). */
    public static final String TABLE = "public.pfa_records";

    private final PostgresAddress address;
    private final PrintStream log;
    private final boolean terminal;

    /** {@code log} receives progress and notices (null: silent); {@code terminal} redraws a bar. */
    public Seeder(PostgresAddress address, PrintStream log, boolean terminal) {
        this.address = address;
        this.log = log;
        this.terminal = terminal;
    }

    public SeedSummary seed(SeedOptions options) throws SQLException {
        long t0 = System.nanoTime();
        try (HikariDataSource ds = Database.pool(address, "seed-install", 2)) {
            ReferenceTarget.install(ds);
        }
        Map<String, Double> phases = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password());
             Statement s = c.createStatement()) {
            if (options.truncate()) {
                s.execute("TRUNCATE " + TABLE + " RESTART IDENTITY");
            }
            long firstId = nextFreeId(s);
            boolean empty = firstId == 1 && isEmpty(s);
            SecondaryObjects secondary = SecondaryObjects.read(c, TABLE);
            if (empty) {
                secondary.drop(c, TABLE, log);
            }
            long tCopy = System.nanoTime();
            SeedProgress progress = new SeedProgress(options.rows(), log, terminal);
            try {
                new CopyStreams(address, TABLE, options, firstId, progress).run();
            } finally {
                progress.close();
                phases.put("copy_s", secs(tCopy));
                if (empty) {
                    long tIdx = System.nanoTime();
                    restore(address, secondary, s);
                    phases.put("indexes_s", secs(tIdx));
                }
            }
            // Later inserts through the identity default must not collide with the ids written here.
            s.execute("SELECT setval(pg_get_serial_sequence('" + TABLE + "', 'id'), (SELECT max(id) FROM " + TABLE
                    + "))");
            long tAnalyze = System.nanoTime();
            s.execute("ANALYZE " + TABLE);
            phases.put("analyze_s", secs(tAnalyze));
            return SeedSummary.measure(c, TABLE, progress.rows(), progress.bytes(), secs(t0), phases);
        }
    }

    /** Rebuilds the dropped indexes, one connection each (2 indexes on 2 cores), then the foreign keys. */
    static void restore(PostgresAddress address, SecondaryObjects secondary, Statement s) throws SQLException {
        List<Thread> builders = new ArrayList<>();
        List<SQLException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String ddl : secondary.indexStatements()) {
            Thread t = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(address.jdbcUrl(), address.user(), address.password());
                     Statement st = c.createStatement()) {
                    st.execute(ddl);
                } catch (SQLException e) {
                    failures.add(e);
                }
            }, "seed-index");
            builders.add(t);
            t.start();
        }
        for (Thread t : builders) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ddl : secondary.foreignKeyStatements()) {
            s.execute(ddl);
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    static long nextFreeId(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT greatest(coalesce((SELECT max(id) FROM " + TABLE + "), 0), "
                + "(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM "
                + "pfa_records_id_seq)) + 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean isEmpty(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + TABLE + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static double secs(long fromNanos) {
        return Math.round((System.nanoTime() - fromNanos) / 1e6) / 1e3;
    }
}
