package dev.deltawatch.worker.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics deltawatch publishes to. {@code findings} is compacted and keyed by fingerprint (the latest
 * transition per finding is the state a restarted worker rebuilds); {@code checkRuns} and {@code dlq} are
 * ordinary retained logs.
 */
public record FeedTopics(String findings, String checkRuns, String dlq, int partitions, short replicationFactor) {
    public static final String FINDINGS = "deltawatch.findings";
    public static final String CHECK_RUNS = "deltawatch.check-runs";
    public static final String DLQ = "deltawatch.dlq";

    public FeedTopics {
        Objects.requireNonNull(findings, "findings");
        Objects.requireNonNull(checkRuns, "checkRuns");
        Objects.requireNonNull(dlq, "dlq");
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replicationFactor must be >= 1");
        }
    }

    public static FeedTopics defaults() {
        return new FeedTopics(FINDINGS, CHECK_RUNS, DLQ, 3, (short) 1);
    }

    /** Same topics with a prefix, for tests that need topics no other test uses. */
    public static FeedTopics prefixed(String prefix) {
        return new FeedTopics(prefix + "." + FINDINGS, prefix + "." + CHECK_RUNS, prefix + "." + DLQ, 3, (short) 1);
    }

    /** Creates the topics that are missing; existing topics are left as they are (their config is the owner's). */
    public void ensure(Admin admin) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(findings)) {
                missing.add(new NewTopic(findings, partitions, replicationFactor).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        // A finding's latest transition must survive compaction; tombstones are never written.
                        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "60000")));
            }
            for (String plain : List.of(checkRuns, dlq)) {
                if (!existing.contains(plain)) {
                    missing.add(new NewTopic(plain, partitions, replicationFactor));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create deltawatch topics: " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create deltawatch topics: Kafka did not answer in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating deltawatch topics", e);
        }
    }
}
