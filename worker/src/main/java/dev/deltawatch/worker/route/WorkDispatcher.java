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
}
