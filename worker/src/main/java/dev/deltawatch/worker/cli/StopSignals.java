package dev.deltawatch.worker.cli;

import java.util.List;

/**
 * SIGTERM and SIGINT as a stop request instead of the JVM's default (run the shutdown hooks, exit 128 + signal):
 * {@code deltawatch run} then stops in order and exits 0, which is what Kubernetes and systemd expect of a
 * graceful stop. Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every JDK 17+).
 */
final class StopSignals {
    private StopSignals() {}

    /**
     * Calls {@code onStop} on TERM or INT, and arms a watchdog that halts the JVM with status 0 if it is still
     * alive {@code deadline} later: a stop must not hang on a start-up that waits for a server, or on a
     * shutdown hook. Returns false when the JVM does not allow handling the signals.
     */
    @SuppressWarnings("restriction")
    static boolean install(Runnable onStop, java.time.Duration deadline) {
        try {
            for (String name : List.of("TERM", "INT")) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    onStop.run();
                    Thread watchdog = new Thread(() -> {
                        try {
                            Thread.sleep(deadline.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                        org.slf4j.LoggerFactory.getLogger(StopSignals.class).warn(
                                "stop: still running {} s after SIG{}; halting", deadline.toSeconds(), name);
                        Runtime.getRuntime().halt(0);
                    }, "deltawatch-stop-watchdog");
                    watchdog.setDaemon(true);
                    watchdog.start();
                });
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return false;
        }
    }
}
