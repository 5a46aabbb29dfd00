package dev.deltawatch.worker.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * How much WAL the capture slot holds back: {@code pg_current_wal_lsn() - restart_lsn}. It grows while capture
 * is stopped (the slot is kept so capture can resume) and can fill the disk; alert on it. Meant to back a gauge
 * (wired by the metrics step). Thread-safe.
 */
public final class SlotRetention {
    private final DataSource dataSource;
    private final String slotName;

    public SlotRetention(DataSource dataSource, String slotName) {
        this.dataSource = dataSource;
        this.slotName = slotName;
    }

    /** Retained WAL bytes, or empty when the slot does not exist (never created, or dropped). */
    public OptionalLong retainedWalBytes() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint
                       FROM pg_replication_slots WHERE slot_name = ? AND restart_lsn IS NOT NULL""")) {
            ps.setString(1, slotName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** For a gauge: the retained bytes, {@code NaN} when the slot is missing or the database does not answer. */
    public double gaugeValue() {
        try {
            OptionalLong bytes = retainedWalBytes();
            return bytes.isPresent() ? bytes.getAsLong() : Double.NaN;
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    public String slotName() {
        return slotName;
    }
}
