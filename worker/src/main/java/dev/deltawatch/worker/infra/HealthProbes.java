package dev.deltawatch.worker.infra;

import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;

/** Standard readiness probes for the parts every worker depends on. */
public final class HealthProbes {
    private HealthProbes() {}

    /** The target database answers (a pooled connection validates within 2 s). */
    public static Supplier<Boolean> database(DataSource dataSource) {
        return () -> {
            try (Connection c = dataSource.getConnection()) {
                return c.isValid(2);
            } catch (Exception e) {
                return false;
            }
        };
    }

    /** The Kafka cluster answers and has at least one broker. */
    public static Supplier<Boolean> kafka(Admin admin) {
        return () -> {
            try {
                return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
        };
    }
}
