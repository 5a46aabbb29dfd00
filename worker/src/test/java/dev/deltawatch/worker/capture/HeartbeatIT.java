package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Heartbeats let the slot advance while the watched tables are quiet (the fixture beats every second). */
class HeartbeatIT {
    private static CaptureFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new CaptureFixture("heartbeat", 1, SchemaMode.AUTO);
        fixture.startCapture();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void heartbeatActionQueryBeatsInThePublishedHeartbeatTable() throws Exception {
        String before = single("SELECT coalesce(max(beat_at), '-infinity')::text FROM deltawatch.heartbeat");
        long deadline = System.nanoTime() + 30_000_000_000L;
        boolean beat = false;
        while (!beat && System.nanoTime() < deadline) {
            Thread.sleep(200);
            beat = "t".equals(single("SELECT (max(beat_at) > '" + before + "'::timestamptz)::text::char "
                    + "FROM deltawatch.heartbeat"));
        }
        assertThat(beat).as("deltawatch.heartbeat updated by capture within 30 s").isTrue();
    }

    @Test
    void slotAdvancesPastWalOfUnwatchedTablesWithoutAnyWatchedChange() throws Exception {
        // WAL that touches no watched table must not stay retained by an idle capture.
        fixture.execute("CREATE TABLE dw_unwatched AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 20000) g");
        String written = single("SELECT pg_current_wal_lsn()::text");
        long deadline = System.nanoTime() + 30_000_000_000L;
        boolean passed = false;
        while (!passed && System.nanoTime() < deadline) {
            passed = "t".equals(single("SELECT (confirmed_flush_lsn >= '" + written + "'::pg_lsn)::text::char "
                    + "FROM pg_replication_slots WHERE slot_name = '" + fixture.settings.slotName() + "'"));
            Thread.sleep(200);
        }
        assertThat(passed).as("slot confirmed past %s within 30 s", written).isTrue();
    }

    private static String single(String sql) throws Exception {
        try (Connection c = fixture.ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
