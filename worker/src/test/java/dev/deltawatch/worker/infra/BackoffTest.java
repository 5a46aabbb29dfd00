package dev.deltawatch.worker.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheCeilingAndStartsOverAfterASuccess() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(5));
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void refusesACeilingBelowTheStart() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("0 < initial <= max");
    }
}
