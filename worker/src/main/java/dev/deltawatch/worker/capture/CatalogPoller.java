package dev.deltawatch.worker.capture;

import dev.deltawatch.contracts.ChangeEvent;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.SchemaChange;
import dev.deltawatch.contracts.SourcePosition;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The polling mode (for roles that cannot create event triggers): fingerprints the catalog, publishes a
 * {@code SCHEMA_CHANGE} for every difference, and only after Kafka acknowledged them stores the new fingerprint
 * in {@code deltawatch.catalog_fingerprint}, so changes made while capture was down are reported at the next start.
 * Runs on one scheduler thread.
 */
final class CatalogPoller implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogPoller.class);

    private final PostgresAddress pg;
    private final List<WatchedTable> tables;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Clock clock;
    private Map<String, CatalogFingerprint.Entry> known;

    CatalogPoller(PostgresAddress pg, List<WatchedTable> tables, Producer<String, byte[]> producer, String topic,
                  Clock clock) {
        this.pg = pg;
        this.tables = tables;
        this.producer = producer;
        this.topic = topic;
        this.clock = clock;
    }

    @Override
    public void run() {
        try (Connection c = pg.connect("deltawatch-capture")) {
            if (known == null) {
                known = stored(c);
            }
            Map<String, CatalogFingerprint.Entry> now = CatalogFingerprint.read(c, tables);
            if (known.isEmpty()) {
                store(c, now); // first run ever: this is the baseline, nothing to report
                known = now;
                return;
            }
            List<SchemaChange> changes = CatalogFingerprint.diff(known, now);
            if (!changes.isEmpty()) {
                publish(c, changes);
                store(c, now);
                known = now;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("capture: catalog poll failed, retrying at the next interval: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(Connection c, List<SchemaChange> changes) throws SQLException, InterruptedException {
        String lsn;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            lsn = rs.getString(1);
        }
        SourcePosition position = new SourcePosition(lsn, null, clock.instant());
        for (int i = 0; i < changes.size(); i++) {
            // Not in the WAL: the id is the WAL position when the difference was seen plus its index.
            ChangeEvent event = ChangeEvent.schemaChange("poll:" + lsn + ":" + i, changes.get(i), position,
                    clock.instant());
            try {
                producer.send(new ProducerRecord<>(topic, event.partitionKey(), Contracts.encode(event))).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("Kafka refused a schema change: " + e.getCause().getMessage(), e);
            }
        }
        LOG.info("capture: catalog polling saw {} schema change(s)", changes.size());
    }

    private static Map<String, CatalogFingerprint.Entry> stored(Connection c) throws SQLException {
        Map<String, CatalogFingerprint.Entry> stored = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT object_identity, object_type, schema_name, table_name, definition_hash
                  FROM deltawatch.catalog_fingerprint""")) {
            while (rs.next()) {
                stored.put(rs.getString(1), new CatalogFingerprint.Entry(rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5)));
            }
        }
        return stored;
    }

    private static void store(Connection c, Map<String, CatalogFingerprint.Entry> now) throws SQLException {
        c.setAutoCommit(false);
        try (Statement delete = c.createStatement();
             PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO deltawatch.catalog_fingerprint
                         (object_identity, object_type, schema_name, table_name, definition_hash)
                     VALUES (?, ?, ?, ?, ?)""")) {
            delete.execute("DELETE FROM deltawatch.catalog_fingerprint");
            for (var e : now.entrySet()) {
                insert.setString(1, e.getKey());
                insert.setString(2, e.getValue().objectType());
                insert.setString(3, e.getValue().schemaName());
                insert.setString(4, e.getValue().tableName());
                insert.setString(5, e.getValue().definitionHash());
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
        }
    }
}
