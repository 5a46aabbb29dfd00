package dev.deltawatch.worker.publish;

import dev.deltawatch.contracts.Finding;

/**
 * Where lifecycle transitions go: the findings topic, a chat webhook, a test's memory.
 *
 * <p>Called only for announcements (OPENED, UPDATED, RESOLVED, REGRESSED), never for silent repeats, one finding
 * at a time from the single thread that decides the lifecycle ({@link FindingPublisher}); implementations need
 * not be thread-safe against concurrent {@code publish} calls. {@code finding} is never null and already carries
 * its Markdown. A sink that must not lose the transition (the topic) throws when it cannot deliver; a
 * best-effort sink (chat) must never block or throw.
 */
public interface FindingSink extends AutoCloseable {

    void publish(Finding finding);

    /** Releases the sink's clients and threads. Default: nothing. */
    @Override
    default void close() {
    }
}
