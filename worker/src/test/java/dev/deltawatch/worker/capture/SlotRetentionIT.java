package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SlotRetentionIT {
    private static CaptureFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new CaptureFixture("slot_retention", 2000, SchemaMode.AUTO);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void retainedWalGrowsWhileCaptureIsStoppedAndVanishesWithTheSlot() throws Exception {
        SlotRetention retention = new SlotRetention(fixture.ds, fixture.settings.slotName());
        assertThat(retention.retainedWalBytes()).as("no slot before the first start").isEmpty();
        assertThat(retention.gaugeValue()).isNaN();

        fixture.startCapture().close();
        long atStop = retention.retainedWalBytes().orElseThrow();
        long walBefore = walPosition();
        // The embedded server runs with synchronous_commit off, so WAL reaches the write position (what
        // pg_current_wal_lsn() and the retention gauge read) only when the WAL writer gets to it; this commit
        // waits for it. How much the updates write depends on TOAST compression and on whether a checkpoint just
        // passed (full-page images), so the expectation is the WAL actually written, not a size guessed from the
        // payload.
        fixture.execute("BEGIN; SET LOCAL synchronous_commit = on; UPDATE pfa_records SET delta_json = "
                + "jsonb_build_object('pad', repeat('x', 500)), version = version + 1; COMMIT");
        long written = walPosition() - walBefore;
        assertThat(written).as("WAL written by 2000 updates").isGreaterThan(100_000);
        OptionalLong later = retention.retainedWalBytes();
        assertThat(later).isPresent();
        assertThat(later.getAsLong()).as("the stopped slot retains everything written since it stopped")
                .isGreaterThanOrEqualTo(atStop + written);
        assertThat(retention.gaugeValue()).isGreaterThanOrEqualTo(atStop + written);

        assertThat(CaptureInstaller.dropSlot(fixture.ds, fixture.settings.slotName())).isTrue();
        assertThat(retention.retainedWalBytes()).isEmpty();
    }

    private static long walPosition() throws SQLException {
        try (Connection c = fixture.ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
