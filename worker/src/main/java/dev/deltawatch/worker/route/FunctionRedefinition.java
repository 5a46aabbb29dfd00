package dev.deltawatch.worker.route;

import dev.deltawatch.contracts.Trigger;
import java.util.Locale;

/**
 * Whether a pass over every record was asked for by the redefinition of a function ({@code CREATE|ALTER FUNCTION
 * |PROCEDURE}) and nothing else: the one kind of pass the dispatcher may skip (the same text deployed again) or
 * narrow (back to the text of a clean pass). Any other cause (a table's change, the schedule, start-up) can change
 * merged values in ways the functions' text does not show, so a pass that coalesced one stays whole.
 */
public final class FunctionRedefinition {
    private FunctionRedefinition() {}

    public static boolean is(Trigger trigger) {
        String ddl = trigger.ddlCommand() == null ? "" : trigger.ddlCommand().toUpperCase(Locale.ROOT);
        return trigger.reason() == Trigger.Reason.SCHEMA_CHANGE
                && (ddl.startsWith("CREATE FUNCTION") || ddl.startsWith("ALTER FUNCTION")
                || ddl.startsWith("CREATE PROCEDURE") || ddl.startsWith("ALTER PROCEDURE"));
    }

    /**
     * The trigger of one pass standing for two asked for one after the other: the later, unless only the earlier
     * was something else than a redefinition, which then stays the cause.
     */
    static boolean laterStands(Trigger earlier, Trigger later) {
        return is(earlier) || !is(later);
    }
}
