package dev.deltawatch.worker.capture;

import dev.deltawatch.contracts.TargetConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs what capture needs in the target database: the {@code deltawatch} schema (DDL audit, heartbeat and
 * bookkeeping tables), the event trigger when the role may create one, and the publication. Idempotent.
 * Also removes the replication slot ({@code capture drop-slot}) and everything else ({@code capture uninstall}).
 */
public final class CaptureInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureInstaller.class);
    public static final String AUDIT_TABLE = "deltawatch.ddl_audit";
    public static final String HEARTBEAT_TABLE = "deltawatch.heartbeat";
    static final String EVENT_TRIGGER = "deltawatch_ddl_end";

    private CaptureInstaller() {}

    /**
     * Installs capture for {@code target}. With {@link SchemaMode#POLLING}, or when the role is not a superuser,
     * no event trigger is created (capture then polls the catalog). Returns the DDL mode that will run.
     */
    public static SchemaMode install(DataSource ds, TargetConfig target, CaptureSettings settings) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            List<WatchedTable> tables = WatchedTable.resolve(c, target);
            runScript(c, "install-audit.sql");
            SchemaMode mode = settings.schemaMode() == SchemaMode.POLLING || !isSuperuser(c)
                    ? SchemaMode.POLLING : SchemaMode.EVENT_TRIGGER;
            if (mode == SchemaMode.EVENT_TRIGGER) {
                runScript(c, "install-event-trigger.sql");
            } else if (settings.schemaMode() == SchemaMode.EVENT_TRIGGER) {
                throw new SQLException("capture: schema mode EVENT_TRIGGER was asked for, but role "
                        + currentUser(c) + " is not a superuser and cannot create event triggers", "42501");
            }
            createPublication(c, settings.publicationName(), tables);
            c.commit();
            LOG.info("capture: installed for target '{}' (publication {}, schema changes by {})", target.name(),
                    settings.publicationName(), mode);
            return mode;
        }
    }

    /** The DDL mode an installed database supports: EVENT_TRIGGER when deltawatch's event trigger exists. */
    public static SchemaMode installedMode(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM pg_event_trigger WHERE evtname = ? AND evtenabled <> 'D'")) {
            ps.setString(1, EVENT_TRIGGER);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? SchemaMode.EVENT_TRIGGER : SchemaMode.POLLING;
            }
        }
    }

    /** Drops the replication slot if it exists and no one reads it. Returns whether it existed. */
    public static boolean dropSlot(DataSource ds, String slotName) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                      WHERE slot_name = ? AND database = current_database()""")) {
            ps.setString(1, slotName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Removes the event triggers, the {@code deltawatch} schema and the publication. The slot is separate. */
    public static void uninstall(DataSource ds, String publicationName) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("DROP PUBLICATION IF EXISTS " + quoted(c, publicationName));
            }
            runScript(c, "uninstall.sql");
            c.commit();
        }
    }

    private static void createPublication(Connection c, String name, List<WatchedTable> tables) throws SQLException {
        String members = tables.stream().map(WatchedTable::quotedName).collect(Collectors.joining(", "))
                + ", " + AUDIT_TABLE + ", " + HEARTBEAT_TABLE;
        String publication = quoted(c, name);
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        try (Statement s = c.createStatement()) {
            // Identifiers come from the catalog (format %I) or the validated publication name.
            s.execute((exists ? "ALTER PUBLICATION " + publication + " SET TABLE "
                    : "CREATE PUBLICATION " + publication + " FOR TABLE ") + members);
        }
    }

    static String quoted(Connection c, String identifier) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(?)")) {
            ps.setString(1, identifier);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static boolean isSuperuser(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void runScript(Connection c, String name) throws SQLException {
        try (InputStream in = CaptureInstaller.class.getResourceAsStream("/db/capture/" + name);
             Statement s = c.createStatement()) {
            if (in == null) {
                throw new IllegalStateException("capture: resource db/capture/" + name + " is missing from the jar");
            }
            // The simple query protocol runs a multi-statement script (with $$-bodies) in one round trip.
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("capture: cannot read db/capture/" + name, e);
        }
    }
}
