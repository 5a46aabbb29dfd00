package dev.deltawatch.worker.route;

import java.util.List;

/**
 * Runs routed work: the affected checks, then the findings and check runs they produce are published. Returns
 * only when everything is published, because the consumer commits offsets right after; throws when publishing
 * failed, so the consumer re-reads those changes instead of losing them. Check failures (a check that cannot
 * reach the database) are not exceptions here: they become ERROR check runs.
 */
@FunctionalInterface
public interface WorkDispatcher {
    void dispatch(List<Work> work) throws Exception;

    /**
     * The partitions of the changes topic this worker reads changed: now all of them ({@code everyPartition}) or
     * some. Work handed to another worker meanwhile is not seen here, so what a dispatcher infers from the work it
     * was handed before is void.
     */
    default void reassigned(boolean everyPartition) {
    }

    /**
     * A pass over every record was asked for while one runs, and now waits for it: the running one may stop early
     * where the waiting one makes the rest of it worthless (its work is then done: the waiting pass covers it).
     */
    default void passWaiting() {
    }
}
