package dev.deltawatch.worker.publish;

import dev.deltawatch.contracts.Finding;
import java.util.Map;

/**
 * Where the lifecycle's state comes from: the latest transition per fingerprint. The first call returns
 * everything known (read to the end); later calls return what arrived since (other workers' transitions, and
 * this worker's own, read back). Called only from the publisher's deciding thread.
 */
@FunctionalInterface
public interface FindingStateSource {

    Map<String, Finding> readNew();

    /** No shared state: a single process that starts empty (unit tests). */
    static FindingStateSource none() {
        return Map::of;
    }
}
