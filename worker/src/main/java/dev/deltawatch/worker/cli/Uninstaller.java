package dev.deltawatch.worker.cli;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.ResolvedTarget;
import dev.deltawatch.worker.check.SqlIdentifiers;
import dev.deltawatch.worker.check.TargetCatalog;
import dev.deltawatch.worker.check.lock.IsolationMatrixCheck;
import dev.deltawatch.worker.check.lock.LockProbeSettings;
import dev.deltawatch.worker.check.lock.ProbeRows;
import dev.deltawatch.worker.check.lock.ProbeSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Removes everything deltawatch put into a target database, in an order that never leaves a running capture
 * reading a half-removed install: the replication slot first (refused while a capture holds it, unless forced),
 * then the publication, the event triggers (before the schema their function writes to), the {@code deltawatch}
 * schema (DDL audit, heartbeat, plan baselines), the probe rows and the isolation matrix's probe schema.
 * Every step looks before it acts, so a second run reports everything as already absent. With {@code dryRun}
 * nothing is changed and each step says what it would remove.
 */
final class Uninstaller {
    static final List<String> EVENT_TRIGGERS = List.of("deltawatch_ddl_end", "deltawatch_sql_drop");
    static final String SCHEMA = "deltawatch";

    enum Outcome { REMOVED, WOULD_REMOVE, ABSENT, SKIPPED }

    /** One line of the report: what, what happened, and details (counts, reasons). */
    record Step(String what, Outcome outcome, String detail) {
        @Override
        public String toString() {
            String verb = switch (outcome) {
                case REMOVED -> "removed";
                case WOULD_REMOVE -> "would remove";
                case ABSENT -> "already absent";
                case SKIPPED -> "SKIPPED";
            };
            return verb + ": " + what + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
        }
    }

    /** The slot is held by a running capture and {@code force} was not given: nothing was changed. */
    static final class SlotActive extends Exception {
        SlotActive(String message) {
            super(message);
        }
    }

    private final DataSource ds;
    private final TargetConfig target;
    private final String slot;
    private final String publication;
    private final boolean dryRun;
    private final boolean force;
    private final Duration forceWait;

    Uninstaller(DataSource ds, TargetConfig target, String slot, String publication, boolean dryRun, boolean force,
                Duration forceWait) {
        this.ds = ds;
        this.target = target;
        this.slot = slot;
        this.publication = publication;
        this.dryRun = dryRun;
        this.force = force;
        this.forceWait = forceWait;
    }

    List<Step> run() throws SQLException, SlotActive, InterruptedException {
        List<Step> steps = new ArrayList<>();
        steps.add(slot());
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            steps.add(publication(c));
            for (String trigger : EVENT_TRIGGERS) {
                steps.add(eventTrigger(c, trigger));
            }
            steps.add(schema(c, SCHEMA, "DDL audit, heartbeat and plan-baseline tables"));
            steps.add(probeRows(c));
            steps.add(schema(c, IsolationMatrixCheck.SCHEMA, "isolation matrix probe tables"));
        }
        return steps;
    }

    private Step slot() throws SQLException, SlotActive, InterruptedException {
        String what = "replication slot " + slot;
        try (Connection c = ds.getConnection()) {
            SlotState state = slotState(c);
            if (state == null) {
                return new Step(what, Outcome.ABSENT, null);
            }
            if (!state.ownDatabase()) {
                return new Step(what, Outcome.SKIPPED, "it belongs to database " + state.database()
                        + "; run uninstall there");
            }
            refuseIfActive(state, "Nothing was removed.");
            String retained = state.retainedBytes() + " bytes of WAL retained";
            if (dryRun) {
                return new Step(what, Outcome.WOULD_REMOVE, state.active()
                        ? retained + "; --force would terminate walsender pid " + state.pid() : retained);
            }
            long deadline = System.nanoTime() + forceWait.toNanos();
            while (true) {
                if (state.active()) {
                    // A capture that reconnects takes the slot again; keep terminating until the drop wins.
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                        ps.setInt(1, state.pid());
                        ps.execute();
                    }
                } else if (dropIfInactive(c)) {
                    return new Step(what, Outcome.REMOVED, retained);
                }
                if (System.nanoTime() > deadline) {
                    throw new SlotActive("replication slot " + slot + " is still in use after terminating its "
                            + "walsender for " + forceWait.toSeconds() + " s: stop the capture, then run again.");
                }
                Thread.sleep(100);
                state = slotState(c);
                if (state == null) {
                    return new Step(what, Outcome.ABSENT, "dropped by someone else meanwhile");
                }
                refuseIfActive(state, "Nothing was removed.");
            }
        }
    }

    private void refuseIfActive(SlotState state, String consequence) throws SlotActive {
        if (state.active() && !force) {
            throw new SlotActive("replication slot " + slot + " is active (walsender pid " + state.pid()
                    + "): a capture is running. Stop the worker first (deltawatch run / capture run), or pass "
                    + "--force to terminate its walsender. " + consequence);
        }
    }

    private record SlotState(String database, boolean ownDatabase, boolean active, int pid, long retainedBytes) {}

    private SlotState slotState(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT coalesce(database, '(physical)'), database IS NOT DISTINCT FROM current_database(), active,
                       coalesce(active_pid, 0),
                       coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint
                  FROM pg_replication_slots WHERE slot_name = ?""")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new SlotState(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getInt(4),
                        rs.getLong(5)) : null;
            }
        }
    }

    private boolean dropIfInactive(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) "
                + "FROM pg_replication_slots WHERE slot_name = ? AND database = current_database() AND NOT active")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            // 55006: the capture took the slot between the look and the drop; the caller terminates it again.
            if ("55006".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    private Step publication(Connection c) throws SQLException {
        String what = "publication " + publication;
        if (!exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", publication)) {
            return new Step(what, Outcome.ABSENT, null);
        }
        return act(c, what, null, "DROP PUBLICATION IF EXISTS " + SqlIdentifiers.quote(publication));
    }

    private Step eventTrigger(Connection c, String name) throws SQLException {
        String what = "event trigger " + name;
        if (!exists(c, "SELECT 1 FROM pg_event_trigger WHERE evtname = ?", name)) {
            return new Step(what, Outcome.ABSENT, null);
        }
        return act(c, what, null, "DROP EVENT TRIGGER IF EXISTS " + SqlIdentifiers.quote(name));
    }

    private Step schema(Connection c, String name, String holds) throws SQLException {
        String what = "schema " + name + " (" + holds + ")";
        if (!exists(c, "SELECT 1 FROM pg_namespace WHERE nspname = ?", name)) {
            return new Step(what, Outcome.ABSENT, null);
        }
        String tables;
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(string_agg(relname, ', ' ORDER BY relname), '') "
                + "FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = ?) AND relkind IN "
                + "('r', 'p')")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                tables = rs.getString(1).isEmpty() ? "no tables" : "tables " + rs.getString(1);
            }
        }
        return act(c, what, tables, "DROP SCHEMA IF EXISTS " + SqlIdentifiers.quote(name) + " CASCADE");
    }

    /**
     * Probe rows through the target config's catalog-checked, quoted identifiers (the same {@link ProbeRows} the
     * probes use), so only rows whose probe column holds the probe namespace are touched.
     */
    private Step probeRows(Connection c) throws SQLException {
        ResolvedTarget resolved;
        try {
            resolved = TargetCatalog.resolve(c, target);
        } catch (RuntimeException e) {
            return new Step("probe rows of target " + target.name(), Outcome.SKIPPED,
                    "the target config does not match the catalog: " + e.getMessage());
        }
        CheckContext context = new CheckContext(resolved, ds, Clock.systemUTC(), null, null, null);
        try (ProbeSession session = ProbeSession.open(ds, LockProbeSettings.defaults(), "uninstall")) {
            ProbeRows rows;
            try {
                rows = session.inTransaction(tx -> ProbeRows.resolve(tx, context));
            } catch (IllegalStateException e) {
                return new Step("probe rows of target " + target.name(), Outcome.SKIPPED, e.getMessage());
            }
            String what = "probe rows " + rows.describe();
            int present = rows.count(session);
            if (dryRun) {
                return present == 0 ? new Step(what, Outcome.ABSENT, null)
                        : new Step(what, Outcome.WOULD_REMOVE, present + " row(s)");
            }
            // Run even when no row is left: it also removes the namespace's parent row.
            int removed = rows.deleteAll(session);
            return removed == 0 ? new Step(what, Outcome.ABSENT, null)
                    : new Step(what, Outcome.REMOVED, removed + " row(s)");
        }
    }

    private Step act(Connection c, String what, String detail, String ddl) throws SQLException {
        if (dryRun) {
            return new Step(what, Outcome.WOULD_REMOVE, detail);
        }
        try (Statement s = c.createStatement()) {
            // Identifiers are fixed names or quoted with quote_ident rules; nothing else reaches the DDL.
            s.execute(ddl);
        }
        return new Step(what, Outcome.REMOVED, detail);
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
