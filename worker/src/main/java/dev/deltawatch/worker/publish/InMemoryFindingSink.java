package dev.deltawatch.worker.publish;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import java.util.ArrayList;
import java.util.List;

/** Keeps announcements in memory, in order; for unit tests of lifecycle logic. Thread-safe. */
public final class InMemoryFindingSink implements FindingSink {
    private final List<Finding> published = new ArrayList<>();

    @Override
    public synchronized void publish(Finding finding) {
        published.add(finding);
    }

    public synchronized List<Finding> published() {
        return List.copyOf(published);
    }

    public synchronized List<FindingStatus> statuses() {
        return published.stream().map(Finding::status).toList();
    }

    public synchronized void clear() {
        published.clear();
    }
}
