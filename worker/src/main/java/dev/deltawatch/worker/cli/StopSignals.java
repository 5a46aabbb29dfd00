package dev.deltawatch.worker.cli;

import java.util.List;

/**
 * SIGTERM and SIGINT as a stop request instead of the JVM's default (run the shutdown hooks, exit 128 + signal):
 * {@code deltawatch run} then stops in order and exits 0, which is what Kubernetes and systemd expect of a
 * graceful stop. Uses {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every JDK 17+).
 */
final class StopSignals {
    private StopSignals() {}

    /** Calls {@code onStop} on the first TERM or INT. Returns false when the JVM does not allow it. */
    @SuppressWarnings("restriction")
    static boolean install(Runnable onStop) {
        try {
            for (String name : List.of("TERM", "INT")) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onStop.run());
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return false;
        }
    }
}
