package dev.deltawatch.worker.check.lock;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deltawatch.worker.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockProbeSettingsTest {
    @Test
    void rejectsZeroLockTimeoutNamingTheKey() {
        LockProbeSettings d = LockProbeSettings.defaults();
        assertThatThrownBy(() -> new LockProbeSettings(d.statementTimeout(), Duration.ZERO,
                d.idleInTransactionTimeout(), d.deadlockTimeout(), d.deadlockSlack(), 16, 5, Duration.ZERO,
                d.blockingThreshold(), d.stepWait(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Invalid value 0 for configuration deltawatch.check.lock.lock.timeout.ms");
    }

    @Test
    void rejectsLockTimeoutNotAboveDeadlockTimeout() {
        LockProbeSettings d = LockProbeSettings.defaults();
        assertThatThrownBy(() -> new LockProbeSettings(d.statementTimeout(), Duration.ofMillis(100),
                d.idleInTransactionTimeout(), Duration.ofMillis(200), d.deadlockSlack(), 16, 5, Duration.ZERO,
                d.blockingThreshold(), d.stepWait(), null))
                .hasMessageContaining("must be greater than deltawatch.check.lock.deadlock.timeout.ms");
    }

    @Test
    void rejectsASingleLostUpdateWorker() {
        assertThatThrownBy(() -> LockProbeSettings.defaults().withLostUpdate(1, 5))
                .hasMessageContaining("Invalid value 1 for configuration deltawatch.check.lock.lost.update.workers");
    }
}
