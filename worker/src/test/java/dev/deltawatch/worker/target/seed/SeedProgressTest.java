package dev.deltawatch.worker.target.seed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeedProgressTest {
    @Test
    void barShowsRowsMegabytesRateAndEta() {
        try (SeedProgress p = new SeedProgress(1_000, null, true)) {
            p.add(250, 5_000_000);
            String bar = p.line(true);
            assertThat(bar).startsWith("[").contains("25%", "250/1,000 rows", "5.0 MB", "rows/s", "ETA");
            assertThat(p.line(false)).startsWith("seed: ").doesNotContain("[");
        }
    }
}
