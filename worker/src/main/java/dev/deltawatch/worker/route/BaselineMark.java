package dev.deltawatch.worker.route;

/**
 * The note a worker leaves in the metadata of partition 0's committed offset when it queues the baseline pass at
 * start: {@code baseline-at=<epoch ms>}. Other members read it to run the pass once for workers started together.
 */
final class BaselineMark {
    private static final String PREFIX = "baseline-at=";

    private BaselineMark() {}

    static String format(long epochMillis) {
        return PREFIX + epochMillis;
    }

    /** The time in a mark, or {@code Long.MIN_VALUE} when there is none (empty, null, or someone else's text). */
    static long parse(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(metadata.substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
