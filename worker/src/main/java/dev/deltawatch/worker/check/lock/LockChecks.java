package dev.deltawatch.worker.check.lock;

import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckContext;
import java.sql.SQLException;
import java.util.List;

/**
 * The lock family in one place: its active checks, in the order a full run should take them, and the sweep a
 * worker runs once at start to remove what a crashed probe left (probe rows, probe tables).
 */
public final class LockChecks {
    private LockChecks() {}

    /** The active lock checks (the passive {@link VersionDisciplineCheck} is fed by the router instead). */
    public static List<Check> active(LockProbeSettings settings) {
        return List.of(new LockSettingsCheck(settings), new BlockingChainsCheck(settings),
                new SameVersionRaceCheck(settings), new StaleWriteCheck(settings), new LostUpdateCheck(settings),
                new DeadlockCheck(settings), new IsolationMatrixCheck(settings));
    }

    /** Removes probe rows and probe tables whose creating session is gone. Returns the probe rows removed. */
    public static int sweepAtStart(CheckContext context, LockProbeSettings settings) throws SQLException {
        try (ProbeSession admin = ProbeSession.open(context.dataSource(), settings, "sweep")) {
            IsolationMatrixCheck.sweepOrphans(admin);
            if (context.target().config().write() == null) {
                return 0;
            }
            ProbeRows rows = admin.inTransaction(c -> ProbeRows.resolve(c, context));
            return rows.sweep(admin);
        }
    }
}
