package dev.deltawatch.worker.capture;

import static org.assertj.core.api.Assertions.assertThat;

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
        fixture.execute("UPDATE pfa_records SET delta_json = jsonb_build_object('pad', repeat('x', 500)), "
                + "version = version + 1");
        OptionalLong later = retention.retainedWalBytes();
        assertThat(later).isPresent();
        assertThat(later.getAsLong()).as("2000 updates of ~500 bytes each retained by the stopped slot")
                .isGreaterThan(atStop + 1_000_000);
        assertThat(retention.gaugeValue()).isGreaterThan(1_000_000);

        assertThat(CaptureInstaller.dropSlot(fixture.ds, fixture.settings.slotName())).isTrue();
        assertThat(retention.retainedWalBytes()).isEmpty();
    }
}
