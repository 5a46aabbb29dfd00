package dev.deltawatch.worker.publish;

import dev.deltawatch.contracts.Finding;
import java.util.List;

/**
 * Where lifecycle transitions go: the findings topic, a chat webhook, a test's memory.
 *
 * <p>Called only for announcements (OPENED, UPDATED, RESOLVED, REGRESSED), never for silent repeats, one decision's
 * transitions at a time from the single thread that decides the lifecycle ({@link FindingPublisher});
 * implementations need not be thread-safe against concurrent {@code publish} calls. A finding is never null and
 * already carries its Markdown. A sink that must not lose the transition (the topic) throws when it cannot
 * deliver; a best-effort sink (chat) must never block or throw.
 */
public interface FindingSink extends AutoCloseable {

    void publish(Finding finding);

    /**
     * The transitions one decision announced, in order. By default one by one; a sink that waits for each
     * acknowledgement overrides it to send them all before waiting, so a run announcing several waits once.
     */
    default void publish(List<Finding> findings) {
        for (Finding f : findings) {
            publish(f);
        }
    }

    /** Releases the sink's clients and threads. Default: nothing. */
    @Override
    default void close() {
    }
}
