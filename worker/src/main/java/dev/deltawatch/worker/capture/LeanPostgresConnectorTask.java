package dev.deltawatch.worker.capture;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import io.debezium.pipeline.meters.CommonEventMeter;
import io.debezium.pipeline.metrics.PipelineMetrics;
import io.debezium.pipeline.source.spi.EventMetadataProvider;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.spi.schema.DataCollectionId;
import java.lang.reflect.Field;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PostgresConnectorTask} whose streaming metrics keep every counter but no longer render each event.
 *
 * <p>Why: for every change, Debezium's {@code CommonEventMeter.onEvent} stores {@code toSummaryString(...)} as the
 * JMX attribute {@code LastEvent}; the default implementation prints the key and the whole before and after
 * images ({@code SchemaUtil.asDetailedString}, a new Jackson {@code ObjectMapper} each time). A profile of
 * {@code bench capture} put a quarter of the decoding thread (the one thread every change passes through) there.
 * There is no setting for it, so after the task has built its coordinator the meter's metadata provider is
 * replaced by one that delegates everything but the summary, which becomes table and source position only.
 *
 * <p>The fields are Debezium internals: if an upgrade renames them, the swap is skipped with one warning and
 * capture runs as before (slower); {@code LeanPostgresConnectorIT} fails on such an upgrade.
 */
public final class LeanPostgresConnectorTask extends PostgresConnectorTask {
    private static final Logger LOG = LoggerFactory.getLogger(LeanPostgresConnectorTask.class);

    @Override
    public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(Configuration config) {
        ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> coordinator = super.start(config);
        try {
            leanSummary(coordinator);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("capture: could not turn off Debezium's per-event summary string ({}); capture is unaffected "
                    + "but spends more CPU per change", e.toString());
        }
        return coordinator;
    }

    private static void leanSummary(ChangeEventSourceCoordinator<?, ?> coordinator)
            throws ReflectiveOperationException {
        Object metrics = field(ChangeEventSourceCoordinator.class, "streamingMetrics").get(coordinator);
        CommonEventMeter meter = (CommonEventMeter) field(PipelineMetrics.class, "commonEventMeter").get(metrics);
        Field provider = field(CommonEventMeter.class, "metadataProvider");
        EventMetadataProvider original = (EventMetadataProvider) provider.get(meter);
        if (!(original instanceof PositionSummary)) {
            provider.set(meter, new PositionSummary(original));
        }
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field f = owner.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** Delegates to Debezium's provider; the summary is the table and source position, not the row images. */
    record PositionSummary(EventMetadataProvider delegate) implements EventMetadataProvider {
        @Override
        public Instant getEventTimestamp(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return delegate.getEventTimestamp(source, offset, key, value);
        }

        @Override
        public Map<String, String> getEventSourcePosition(DataCollectionId source, OffsetContext offset, Object key,
                                                          Struct value) {
            return delegate.getEventSourcePosition(source, offset, key, value);
        }

        @Override
        public String getTransactionId(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return delegate.getTransactionId(source, offset, key, value);
        }

        @Override
        public io.debezium.pipeline.txmetadata.TransactionInfo getTransactionInfo(DataCollectionId source,
                OffsetContext offset, Object key, Struct value) {
            return delegate.getTransactionInfo(source, offset, key, value);
        }

        @Override
        public String toSummaryString(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return source + " " + delegate.getEventSourcePosition(source, offset, key, value);
        }
    }
}
