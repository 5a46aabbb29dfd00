package dev.deltawatch.worker.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every key the worker understands, with its default and documentation. README's config reference mirrors this. */
public final class WorkerConfigDef {
    public static final String PREFIX = "deltawatch.";
    /** Keys under this prefix are passed to the Debezium engine unchanged (prefix cut off). */
    public static final String DEBEZIUM_PASSTHROUGH = "deltawatch.capture.debezium.";

    public static final List<String> FAMILIES = List.of("merge", "plan", "lock", "edge", "hygiene");
    public static final List<String> ROLES = List.of("capture", "validate");

    public static final ConfigKey TARGET_FILE = ConfigKey.string("deltawatch.target.file",
            "classpath:reference-target.yaml", "Target config (YAML): tables, merge contract, write path, queries.");
    public static final ConfigKey JDBC_URL = ConfigKey.string("deltawatch.database.jdbc.url", null,
            "JDBC URL of the target database. Also read from DELTAWATCH_JDBC_URL.");
    public static final ConfigKey JDBC_USER = ConfigKey.string("deltawatch.database.user", "postgres",
            "Login role. Use the least-privilege role of deploy/sql/role.sql.");
    public static final ConfigKey JDBC_PASSWORD = ConfigKey.secret("deltawatch.database.password",
            "Password of the login role. Environment only: DELTAWATCH_DATABASE_PASSWORD (or DELTAWATCH_JDBC_PASSWORD).");
    public static final ConfigKey POOL_SIZE = ConfigKey.number("deltawatch.database.pool.size", 8, 1, 200,
            "Connections the checks may hold at once, the long probes apart (probe.pool.size).");
    public static final ConfigKey PROBE_POOL_SIZE = ConfigKey.number("deltawatch.database.probe.pool.size", 8, 1,
            200, "Connections the long probes and samples (lock probes, write-path edge cases, the pooling sample) "
                    + "may hold at once, in a pool of their own: the lost-update probe's writers never hold back a "
                    + "plan audit or a changed record.");
    public static final ConfigKey KAFKA_BOOTSTRAP = ConfigKey.string("deltawatch.kafka.bootstrap.servers", null,
            "Kafka bootstrap servers. Also read from DELTAWATCH_KAFKA_BOOTSTRAP.");
    public static final ConfigKey TOPIC_CHANGES = ConfigKey.string("deltawatch.kafka.topic.changes",
            "deltawatch.changes", "Topic of normalized change events.");
    public static final ConfigKey TOPIC_FINDINGS = ConfigKey.string("deltawatch.kafka.topic.findings",
            "deltawatch.findings", "Compacted topic of findings, keyed by fingerprint.");
    public static final ConfigKey TOPIC_CHECK_RUNS = ConfigKey.string("deltawatch.kafka.topic.check-runs",
            "deltawatch.check-runs", "Topic of every check run.");
    public static final ConfigKey TOPIC_DLQ = ConfigKey.string("deltawatch.kafka.topic.dlq", "deltawatch.dlq",
            "Dead letters: change events that could not be decoded, and captured rows that could not be mapped to one, "
                    + "with the reason in a header.");
    public static final ConfigKey GROUP_ID = ConfigKey.string("deltawatch.kafka.group.id", "deltawatch-validate",
            "Consumer group of the validate role; workers in one group share the change partitions.");
    public static final ConfigKey ROLES_KEY = ConfigKey.list("deltawatch.roles", "capture,validate", ROLES,
            "What this process runs: capture (holds the slot), validate (consumes changes, runs checks).");
    public static final ConfigKey SLOT = ConfigKey.string("deltawatch.capture.slot.name", "deltawatch",
            "Logical replication slot of capture.");
    public static final ConfigKey PUBLICATION = ConfigKey.string("deltawatch.capture.publication.name", "deltawatch",
            "Publication over the watched tables, the DDL audit table and the heartbeat table.");
    public static final ConfigKey HEARTBEAT_MS = ConfigKey.number("deltawatch.capture.heartbeat.interval.ms", 10_000,
            100, 3_600_000, "Heartbeat interval; lets the slot advance on a quiet database.");
    public static final ConfigKey SETTINGS_POLL_MS = ConfigKey.number(
            "deltawatch.capture.settings.poll.interval.ms", 10_000, 100, 3_600_000,
            "How often capture re-reads what no event trigger reports: planner settings set by ALTER DATABASE/ROLE "
                    + "... SET (a change re-runs the plan audits) and the watched tables' replica identity.");
    public static final ConfigKey COALESCE_WINDOW_MS = ConfigKey.number("deltawatch.route.coalesce.window.ms", 250,
            1, 60_000, "How long the router gathers changes into one batch before running checks.");
    public static final ConfigKey COALESCE_MAX_RECORDS = ConfigKey.number("deltawatch.route.coalesce.max.records",
            1000, 1, 100_000, "A batch is run early once it names this many records.");
    public static final ConfigKey QUEUE_CAPACITY = ConfigKey.number("deltawatch.route.queue.capacity", 10_000, 10,
            10_000_000, "Changes buffered before the consumer pauses (backpressure).");
    public static final ConfigKey SWEEP_MS = ConfigKey.number("deltawatch.route.sweep.interval.ms", 3_600_000, 1_000,
            604_800_000L, "Every check on everything, on this slow schedule: the safety net for drift.");
    public static final ConfigKey STATEMENT_TIMEOUT_MS = ConfigKey.number("deltawatch.check.statement.timeout.ms",
            30_000, 1, 3_600_000, "statement_timeout of every statement a check runs.");
    public static final ConfigKey LOCK_TIMEOUT_MS = ConfigKey.number("deltawatch.check.lock.timeout.ms", 2_000, 1,
            600_000, "lock_timeout of every statement a check runs.");
    public static final ConfigKey FAMILIES_KEY = ConfigKey.list("deltawatch.check.families",
            String.join(",", FAMILIES), FAMILIES, "Check families this worker runs.");
    public static final ConfigKey METRICS_PORT = ConfigKey.number("deltawatch.metrics.port", 9404, 0, 65_535,
            "HTTP port of /metrics, /health/live and /health/ready (0 picks a free port).");
    public static final ConfigKey WEBHOOK_URL = ConfigKey.secret("deltawatch.chat.webhook.url",
            "Slack-compatible webhook that receives each finding transition. Environment only.");

    public static final List<ConfigKey> KEYS = List.of(TARGET_FILE, JDBC_URL, JDBC_USER, JDBC_PASSWORD, POOL_SIZE,
            PROBE_POOL_SIZE, KAFKA_BOOTSTRAP, TOPIC_CHANGES, TOPIC_FINDINGS, TOPIC_CHECK_RUNS, TOPIC_DLQ, GROUP_ID, ROLES_KEY, SLOT,
            PUBLICATION, HEARTBEAT_MS, SETTINGS_POLL_MS, COALESCE_WINDOW_MS, COALESCE_MAX_RECORDS, QUEUE_CAPACITY, SWEEP_MS,
            STATEMENT_TIMEOUT_MS, LOCK_TIMEOUT_MS, FAMILIES_KEY, METRICS_PORT, WEBHOOK_URL);

    /** Environment variables kept for convenience, same as the infrastructure resolver reads. */
    static final Map<String, ConfigKey> ENV_ALIASES = Map.of(
            "DELTAWATCH_JDBC_URL", JDBC_URL,
            "DELTAWATCH_JDBC_USER", JDBC_USER,
            "DELTAWATCH_JDBC_PASSWORD", JDBC_PASSWORD,
            "DELTAWATCH_KAFKA_BOOTSTRAP", KAFKA_BOOTSTRAP);

    private WorkerConfigDef() {}

    static Map<String, ConfigKey> byName() {
        Map<String, ConfigKey> m = new LinkedHashMap<>();
        KEYS.forEach(k -> m.put(k.name(), k));
        return m;
    }
}
