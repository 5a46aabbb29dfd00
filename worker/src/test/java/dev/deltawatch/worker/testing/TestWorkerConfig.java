package dev.deltawatch.worker.testing;

/** The worker.yaml tests run a worker with: every name (topics, group, slot, publication) derived from one. */
public final class TestWorkerConfig {
    private TestWorkerConfig() {}

    /** Lock checks only, a short coalesce window; {@code metricsPort} 0 picks a free one. */
    public static String yaml(String name, String jdbcUrl, int metricsPort) {
        return yaml(name, jdbcUrl, metricsPort, "lock");
    }

    /** The same with the given check families (comma-separated). */
    public static String yaml(String name, String jdbcUrl, int metricsPort, String families) {
        return """
                deltawatch:
                  database.jdbc.url: %s
                  kafka.bootstrap.servers: %s
                  kafka.topic.changes: %s.changes
                  kafka.topic.findings: %s.findings
                  kafka.topic.check-runs: %s.check-runs
                  kafka.topic.dlq: %s.dlq
                  kafka.group.id: %s
                  capture.slot.name: %s
                  capture.publication.name: %s
                  capture.heartbeat.interval.ms: 1000
                  route.coalesce.window.ms: 100
                  check.families: %s
                  metrics.port: %d
                """.formatted(jdbcUrl, TestInfrastructure.kafka().bootstrapServers(), name, name, name, name, name,
                name, name, families, metricsPort);
    }
}
