package dev.deltawatch.worker.runtime;

import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.check.CheckContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when a pass over every record that a function's redefinition asked for would verify exactly what the last
 * complete pass did: every function reads as it did then ({@link FunctionDefinitions}), and every record changed
 * since was verified as it changed. Deploys that run {@code CREATE OR REPLACE FUNCTION} on every release with the
 * same text are common; at a million records each such pass costs a PostgreSQL core for half a minute. A pass
 * during which any function was replaced, or one with a check that could not run, leaves nothing to skip by.
 * Other reasons for a pass (a table change, the schedule, start-up) always run it. Thread-safe.
 */
final class RedundantPasses {
    private static final Logger LOG = LoggerFactory.getLogger(RedundantPasses.class);

    private FunctionDefinitions lastComplete;

    /** The definitions now; null when they cannot be read (the pass then runs and is not remembered). */
    FunctionDefinitions read(CheckContext context) {
        try (Connection c = context.connect(true)) {
            FunctionDefinitions now = FunctionDefinitions.read(c);
            c.rollback();
            return now;
        } catch (SQLException e) {
            LOG.warn("[route] function definitions unreadable, the pass runs: {}", e.getMessage());
            return null;
        }
    }

    /** Whether the pass {@code trigger} asks for would repeat the last complete one, the definitions being {@code now}. */
    synchronized boolean redundant(Trigger trigger, FunctionDefinitions now) {
        return now != null && now.sameText(lastComplete) && redefinesFunction(trigger);
    }

    /** After a pass: remembered when every check ran and no function was replaced while it ran. */
    synchronized void completed(FunctionDefinitions before, FunctionDefinitions after, boolean everyCheckRan) {
        lastComplete = everyCheckRan && before != null && before.equals(after) ? before : null;
    }

    private static boolean redefinesFunction(Trigger trigger) {
        String ddl = trigger.ddlCommand() == null ? "" : trigger.ddlCommand().toUpperCase(Locale.ROOT);
        return trigger.reason() == Trigger.Reason.SCHEMA_CHANGE
                && (ddl.startsWith("CREATE FUNCTION") || ddl.startsWith("ALTER FUNCTION")
                || ddl.startsWith("CREATE PROCEDURE") || ddl.startsWith("ALTER PROCEDURE"));
    }
}
