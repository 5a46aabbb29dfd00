package dev.deltawatch.worker.capture;

import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The Debezium engine's properties for one capture: pgoutput, one slot, a pre-created publication, Kafka offsets. */
final class EngineProperties {
    private EngineProperties() {}

    static Properties build(PostgresAddress pg, KafkaAddress kafka, CaptureSettings s, List<WatchedTable> tables) {
        URI uri = URI.create(pg.jdbcUrl().substring("jdbc:".length()));
        Properties p = new Properties();
        p.setProperty("name", "deltawatch-capture-" + s.slotName());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("topic.prefix", "deltawatch_" + s.slotName());
        p.setProperty("database.hostname", uri.getHost());
        p.setProperty("database.port", String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()));
        p.setProperty("database.dbname", uri.getPath().substring(1));
        p.setProperty("database.user", pg.user());
        p.setProperty("database.password", pg.password() == null ? "" : pg.password());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", s.slotName());
        p.setProperty("publication.name", s.publicationName());
        p.setProperty("publication.autocreate.mode", "disabled");
        // No initial snapshot: capture reports changes from its first start on, not the existing rows.
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("table.include.list", Stream.concat(tables.stream().map(WatchedTable::qualifiedName),
                Stream.of(CaptureInstaller.AUDIT_TABLE, CaptureInstaller.HEARTBEAT_TABLE))
                .map(EngineProperties::regex).collect(Collectors.joining(",")));
        // Convert only the columns events carry: generated columns, timestamps etc. cost decoding time for nothing.
        p.setProperty("column.include.list", Stream.concat(tables.stream().flatMap(EngineProperties::columns),
                Stream.of(CaptureInstaller.AUDIT_TABLE + ".*", CaptureInstaller.HEARTBEAT_TABLE + ".*"))
                .map(EngineProperties::regex).collect(Collectors.joining(",")));
        p.setProperty("heartbeat.interval.ms", String.valueOf(s.heartbeatInterval().toMillis()));
        p.setProperty("heartbeat.action.query", "INSERT INTO " + CaptureInstaller.HEARTBEAT_TABLE
                + " (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at");
        p.setProperty("max.batch.size", String.valueOf(s.maxBatchSize()));
        p.setProperty("max.queue.size", String.valueOf(s.maxQueueSize()));
        p.setProperty("poll.interval.ms", String.valueOf(s.enginePollInterval().toMillis()));
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        p.setProperty("offset.storage.topic", s.offsetTopic());
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", "1");
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        p.setProperty("slot.max.retries", "3");
        p.setProperty("slot.retry.delay.ms", "2000");
        p.setProperty("decimal.handling.mode", "string");
        s.debezium().forEach(p::setProperty);
        return p;
    }

    private static Stream<String> columns(WatchedTable t) {
        return Stream.of(t.config().keyColumn(), t.config().ownerColumn(), t.config().mirrorColumn(),
                t.config().deltaColumn(), t.config().versionColumn()).filter(java.util.Objects::nonNull)
                .map(column -> t.qualifiedName() + "." + column);
    }

    /** Debezium's include lists are regular expressions: escape the dots (a trailing {@code .*} stays a wildcard). */
    private static String regex(String qualified) {
        return qualified.endsWith(".*") ? qualified.substring(0, qualified.length() - 2).replace(".", "\\.") + "\\..*"
                : qualified.replace(".", "\\.");
    }
}
