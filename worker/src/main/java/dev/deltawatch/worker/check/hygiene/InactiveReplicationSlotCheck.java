package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import dev.deltawatch.worker.check.CheckResult;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Replication slots of this database that nobody reads: a slot pins WAL from its {@code restart_lsn} on, so a
 * capture that stopped (or a slot left behind by a test, a migration tool, an old subscriber) fills the disk
 * until PostgreSQL stops accepting writes, unless {@code max_slot_wal_keep_size} invalidates it first. Reported
 * HIGH once a slot has been inactive longer than {@link HygieneSettings#inactiveSlotAfter()}, with the retained
 * WAL, and fixed by restarting its consumer or dropping it. Read-only ({@code pg_replication_slots}).
 * PostgreSQL 17 says since when a slot is inactive ({@code inactive_since}); on older servers every inactive slot
 * is reported, its inactive time unknown.
 */
public final class InactiveReplicationSlotCheck implements Check {
    public static final String NAME = "hygiene.inactive-replication-slot";
    public static final String RULE = "inactive-replication-slot";

    // On a standby pg_current_wal_lsn() fails; the last received LSN measures retention there.
    private static final String SLOTS = """
            SELECT s.slot_name, coalesce(s.plugin, '') AS plugin, s.slot_type, s.active, %s AS inactive_since,
                   %s AS inactive_ms,
                   coalesce(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()
                                                 ELSE pg_current_wal_lsn() END, s.restart_lsn), 0)::bigint AS retained,
                   pg_size_pretty(coalesce(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()
                                                 ELSE pg_current_wal_lsn() END, s.restart_lsn), 0)) AS retained_pretty,
                   coalesce(s.wal_status, 'unknown') AS wal_status,
                   current_setting('max_slot_wal_keep_size') AS keep_size
              FROM pg_replication_slots s
             WHERE s.database = current_database()
             ORDER BY s.slot_name""";

    private final HygieneSettings settings;

    public InactiveReplicationSlotCheck(HygieneSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String family() {
        return HygieneChecks.FAMILY;
    }

    /** A database-wide check: a delta change gives it nothing new to look at. */
    @Override
    public boolean appliesTo(CheckScope scope) {
        return scope.kind() == CheckScope.Kind.ALL || scope.kind() == CheckScope.Kind.OBJECTS;
    }

    @Override
    public List<CheckResult> run(CheckContext context, CheckScope scope) throws Exception {
        List<CheckResult> results = new ArrayList<>();
        try (Connection c = context.connect(true)) {
            boolean hasInactiveSince = Row.one(c, "SELECT current_setting('server_version_num')::int >= 170000 AS v")
                    .bool("v");
            String sql = hasInactiveSince
                    ? SLOTS.formatted("s.inactive_since::text",
                            "(extract(epoch FROM clock_timestamp() - s.inactive_since) * 1000)::bigint")
                    : SLOTS.formatted("NULL::text", "NULL::bigint");
            for (Row slot : Row.query(c, sql)) {
                results.add(judge(context, slot));
            }
            if (results.isEmpty()) {
                // Nothing to judge is a pass too: the database was looked at and holds no slot.
                results.add(CheckResult.pass(RULE, new Subject("database",
                        Row.one(c, "SELECT current_database() AS d").str("d"))));
            }
            c.commit();
        }
        return results;
    }

    private CheckResult judge(CheckContext context, Row slot) {
        String name = slot.str("slot_name");
        Subject subject = new Subject("replication-slot", name);
        boolean known = slot.str("inactive_ms") != null;
        Duration inactive = Duration.ofMillis(Math.max(0, slot.lng("inactive_ms")));
        if (slot.bool("active") || (known && inactive.compareTo(settings.inactiveSlotAfter()) < 0)) {
            return CheckResult.pass(RULE, subject);
        }
        String since = known ? "inactive for " + human(inactive) + " (since " + slot.str("inactive_since") + ")"
                : "inactive (for how long this server does not say; PostgreSQL 17 does)";
        String literal = "'" + name.replace("'", "''") + "'";
        return CheckResult.fail(context.finding(this, RULE, Severity.HIGH, subject)
                .title("Replication slot " + name + " is " + (known ? "inactive for " + human(inactive) : "inactive")
                        + ", retaining " + slot.str("retained_pretty") + " of WAL")
                .problem("No one reads slot " + name + " (" + slot.str("slot_type") + ", plugin "
                        + (slot.str("plugin").isEmpty() ? "none" : slot.str("plugin")) + "), so PostgreSQL keeps "
                        + "every WAL segment from its restart_lsn on. Retained WAL grows with every write until the "
                        + "disk fills and the server stops accepting writes (or, with max_slot_wal_keep_size = "
                        + slot.str("keep_size") + ", the slot is invalidated and its consumer must start over). "
                        + "A deltawatch capture that stopped, a crashed subscriber or a forgotten test slot all look "
                        + "like this.")
                .evidence("pg_replication_slots", "text", "slot_name = " + name + "\nplugin = " + slot.str("plugin")
                        + "\nslot_type = " + slot.str("slot_type") + "\n" + since + "\nretained WAL = "
                        + slot.lng("retained") + " bytes (" + slot.str("retained_pretty") + ")\nwal_status = "
                        + slot.str("wal_status") + "\nmax_slot_wal_keep_size = " + slot.str("keep_size")
                        + "\nthreshold = " + human(settings.inactiveSlotAfter()))
                .fix("-- If its consumer should be running, restart it (for deltawatch: deltawatch run, or deltawatch "
                        + "capture run); it resumes from the slot.\n-- If it is no longer needed, drop it:\n"
                        + "SELECT pg_drop_replication_slot(" + literal + ");\n-- or, to remove everything deltawatch "
                        + "installed: deltawatch uninstall --slot " + name)
                .reproductionSql("SELECT slot_name, plugin, active, inactive_since, pg_size_pretty(pg_wal_lsn_diff("
                        + "pg_current_wal_lsn(), restart_lsn)) AS retained FROM pg_replication_slots WHERE slot_name = "
                        + literal + ";")
                .build());
    }

    private static String human(Duration d) {
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return d.toSeconds() + "." + d.toMillisPart() / 100 + " s";
    }
}
