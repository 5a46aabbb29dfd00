package dev.deltawatch.worker.capture;

import io.debezium.connector.postgresql.PostgresConnector;
import org.apache.kafka.connect.connector.Task;

/**
 * Debezium's PostgreSQL connector with {@link LeanPostgresConnectorTask}: the same connector, minus the
 * per-event summary string Debezium's metrics build on the decoding thread.
 */
public final class LeanPostgresConnector extends PostgresConnector {
    @Override
    public Class<? extends Task> taskClass() {
        return LeanPostgresConnectorTask.class;
    }
}
