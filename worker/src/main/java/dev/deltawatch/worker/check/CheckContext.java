package dev.deltawatch.worker.check;

import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.findings.FindingBuilder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Everything a check may use to reach the target: the resolved (catalog-checked, quoted) target, a pool, the
 * clock, the trigger that caused this run, the timeouts every statement runs under, and where a full pass reports
 * its progress ({@link CheckProgress#NONE} unless a command shows it), and where it gives way to other checks
 * ({@link PassGate#OPEN} unless the running worker runs checks beside it).
 * Immutable; safe to share between threads.
 */
public record CheckContext(ResolvedTarget target, DataSource dataSource, Clock clock, Trigger trigger,
                           Duration statementTimeout, Duration lockTimeout, CheckProgress progress,
                           PassGate passGate) {

    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(2);

    public CheckContext {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(clock, "clock");
        trigger = trigger == null ? Trigger.manual() : trigger;
        statementTimeout = statementTimeout == null ? DEFAULT_STATEMENT_TIMEOUT : statementTimeout;
        lockTimeout = lockTimeout == null ? DEFAULT_LOCK_TIMEOUT : lockTimeout;
        progress = progress == null ? CheckProgress.NONE : progress;
        passGate = passGate == null ? PassGate.OPEN : passGate;
    }

    /** A context whose checks report no progress. */
    public CheckContext(ResolvedTarget target, DataSource dataSource, Clock clock, Trigger trigger,
                        Duration statementTimeout, Duration lockTimeout) {
        this(target, dataSource, clock, trigger, statementTimeout, lockTimeout, CheckProgress.NONE, PassGate.OPEN);
    }

    public CheckContext withTrigger(Trigger newTrigger) {
        return new CheckContext(target, dataSource, clock, newTrigger, statementTimeout, lockTimeout, progress,
                passGate);
    }

    /** The same context with full passes reporting to {@code newProgress}. */
    public CheckContext withProgress(CheckProgress newProgress) {
        return new CheckContext(target, dataSource, clock, trigger, statementTimeout, lockTimeout, newProgress,
                passGate);
    }

    /** The same context with connections from {@code pool} (the worker's long probes have a pool of their own). */
    public CheckContext withDataSource(DataSource pool) {
        return new CheckContext(target, pool, clock, trigger, statementTimeout, lockTimeout, progress, passGate);
    }

    /** The same context with full passes asking {@code gate} before each batch they read. */
    public CheckContext withPassGate(PassGate gate) {
        return new CheckContext(target, dataSource, clock, trigger, statementTimeout, lockTimeout, progress, gate);
    }

    /** The target's name, as findings and fingerprints carry it. */
    public String targetName() {
        return target.config().name();
    }

    /** A finding builder for this run: family from the check, target, trigger and observation time filled in. */
    public FindingBuilder finding(Check check, String rule, Severity severity, Subject subject) {
        return new FindingBuilder(check.family(), rule, severity, targetName(), subject)
                .trigger(trigger)
                .observedAt(clock.instant());
    }

    /**
     * A pooled connection inside an open transaction (autocommit off) whose statement and lock timeouts are set
     * for this transaction only, so nothing leaks into the pool. With {@code readOnly}, the transaction is
     * READ ONLY. The caller commits or rolls back; closing without either rolls back.
     */
    public Connection connect(boolean readOnly) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(false);
            c.setReadOnly(readOnly);
            applyTimeouts(c);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Sets statement and lock timeouts local to the current transaction of {@code c}. */
    public void applyTimeouts(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true)")) {
            ps.setString(1, statementTimeout.toMillis() + "ms");
            ps.setString(2, lockTimeout.toMillis() + "ms");
            ps.execute();
        }
    }
}
