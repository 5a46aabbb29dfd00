package dev.deltawatch.worker.check.lock;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.check.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs the Hermitage anomaly tests (G0, G1a, G1b, G1c, OTV, PMP, P4, G-single, G2-item, G2) at read committed,
 * repeatable read and serializable, on the worker's own two-row table in the deltawatch-owned schema
 * {@value #SCHEMA} (created and dropped by the probe; the application's tables are never touched). The observed
 * matrix is kept as data ({@link #lastMatrix()}) for the {@code check} output. A cell that differs from what
 * PostgreSQL documents is a finding: an anomaly PostgreSQL should prevent is HIGH (something between deltawatch
 * and PostgreSQL — a pooler, a proxy, a fork — weakens isolation); a documented anomaly that did not happen is LOW.
 */
public final class IsolationMatrixCheck implements Check {
    public static final String RULE = "isolation-differs-from-postgresql";
    public static final String SCHEMA = "deltawatch_probe";
    static final String TABLE_PREFIX = "hermitage_";

    private final LockProbeSettings settings;
    private volatile IsolationMatrix lastMatrix;

    public IsolationMatrixCheck(LockProbeSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "lock.isolation-matrix";
    }

    @Override
    public String family() {
        return "lock";
    }

    /** The matrix observed by the last run; null before the first. */
    public IsolationMatrix lastMatrix() {
        return lastMatrix;
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        String table = SqlIdentifiers.qualified(SCHEMA, TABLE_PREFIX
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        try (ProbeSession admin = ProbeSession.open(context.dataSource(), settings, "isolation:admin")) {
            sweepOrphans(admin);
            admin.inTransaction(c -> ddl(c, "CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(SCHEMA),
                    "CREATE TABLE " + table + " (id integer PRIMARY KEY, value integer NOT NULL)",
                    // The creator's pid lets a later sweep tell a crashed probe's table from a running one's.
                    "COMMENT ON TABLE " + table + " IS 'deltawatch probe pid " + admin.backendPid() + "'"));
            try {
                IsolationMatrix matrix = observe(context, admin, table);
                lastMatrix = matrix;
                return results(context, matrix);
            } finally {
                admin.inTransaction(c -> ddl(c, "DROP TABLE IF EXISTS " + table));
                dropSchemaIfEmpty(admin);
            }
        }
    }

    private IsolationMatrix observe(CheckContext context, ProbeSession admin, String table) throws SQLException {
        HermitageScripts scripts = new HermitageScripts(table);
        int[] jdbcLevels = {Connection.TRANSACTION_READ_COMMITTED, Connection.TRANSACTION_REPEATABLE_READ,
                Connection.TRANSACTION_SERIALIZABLE};
        List<IsolationMatrix.Cell> cells = new ArrayList<>();
        for (String anomaly : IsolationMatrix.ANOMALIES) {
            for (int i = 0; i < jdbcLevels.length; i++) {
                String level = IsolationMatrix.LEVELS.get(i);
                admin.inTransaction(c -> ddl(c, "TRUNCATE " + table,
                        "INSERT INTO " + table + " (id, value) VALUES (1, 10), (2, 20)"));
                try (Interleaving it = Interleaving.open(context.dataSource(), settings, "isolation", 3,
                        jdbcLevels[i])) {
                    boolean observed = scripts.run(anomaly, it);
                    cells.add(new IsolationMatrix.Cell(anomaly, level, observed,
                            IsolationMatrix.documentedPossible(anomaly, level), it.transcript()));
                }
            }
        }
        return new IsolationMatrix(List.copyOf(cells));
    }

    /** One result per cell: a pass where it matches the documentation, a finding where it differs. */
    List<CheckResult> results(CheckContext context, IsolationMatrix matrix) {
        List<CheckResult> out = new ArrayList<>();
        for (IsolationMatrix.Cell cell : matrix.cells()) {
            Subject subject = new Subject("isolation", cell.anomaly() + " at " + cell.level());
            if (cell.matchesDocumentation()) {
                out.add(CheckResult.pass(RULE, subject));
                continue;
            }
            boolean weaker = cell.observed();
            out.add(CheckResult.fail(context.finding(this, RULE, weaker ? Severity.HIGH : Severity.LOW, subject)
                    .title(cell.anomaly() + " " + (weaker ? "happened" : "did not happen") + " at " + cell.level()
                            + ", unlike PostgreSQL's documented behaviour")
                    .evidence("schedule", "text", cell.transcript())
                    .evidence("observed matrix", "table", matrix.toMarkdownTable())
                    .problem(weaker ? "PostgreSQL prevents " + cell.anomaly() + " at " + cell.level() + ", but it "
                            + "happened here: the isolation the application asks for is not the isolation it gets."
                            : "PostgreSQL allows " + cell.anomaly() + " at " + cell.level() + " and this schedule "
                            + "shows it there; here it did not happen, so the server does not behave as PostgreSQL.")
                    .fix("Check what sits between the application and PostgreSQL (a transaction-mode pooler drops "
                            + "SET TRANSACTION; a proxy may rewrite isolation levels) and run at the level the code "
                            + "assumes: SET default_transaction_isolation, or BEGIN ISOLATION LEVEL ... per transaction.")
                    .build()));
        }
        return out;
    }

    /** Drops probe tables whose creating session is gone (a crash mid-probe). */
    static void sweepOrphans(ProbeSession admin) throws SQLException {
        List<String> orphans = admin.inTransaction(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(n.nspname) || '.' || quote_ident(r.relname) "
                    + "FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ? "
                    + "AND r.relkind = 'r' AND starts_with(r.relname, ?) AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a "
                    + "WHERE obj_description(r.oid, 'pg_class') = 'deltawatch probe pid ' || a.pid)")) {
                ps.setString(1, SCHEMA);
                ps.setString(2, TABLE_PREFIX);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
        for (String orphan : orphans) {
            admin.inTransaction(c -> ddl(c, "DROP TABLE IF EXISTS " + orphan));
        }
        if (!orphans.isEmpty()) {
            dropSchemaIfEmpty(admin);
        }
    }

    private static Void ddl(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        return null;
    }

    private static void dropSchemaIfEmpty(ProbeSession admin) {
        try {
            admin.inTransaction(c -> ddl(c, "DROP SCHEMA IF EXISTS " + SqlIdentifiers.quote(SCHEMA) + " RESTRICT"));
        } catch (SQLException e) {
            // 2BP01: another probe's table is still in the schema; it drops the schema when it is done.
        }
    }
}
