package dev.deltawatch.worker.target.load;

import java.time.Duration;
import java.util.List;

/**
 * One load run.
 *
 * @param scenario        what to run
 * @param duration        how long to apply load (warm-up excluded)
 * @param users           concurrent users (closed loop) or bulk workers; 0 means the scenario's default
 * @param recordsPerMinute bulk import rate
 * @param batchSize       records per bulk upsert statement
 * @param queries         registered read query names to run; empty means all read queries
 * @param seed            seed of the parameter draws
 */
public record LoadOptions(Scenario scenario, Duration duration, int users, int recordsPerMinute, int batchSize,
                          List<String> queries, long seed) {
    public static final int DEFAULT_RECORDS_PER_MINUTE = 10_000;
    public static final int DEFAULT_BATCH_SIZE = 100;

    public LoadOptions {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("Invalid value " + duration + " for duration: must be > 0");
        }
        if (users < 0) {
            throw new IllegalArgumentException("Invalid value " + users + " for users: must be >= 0");
        }
        if (recordsPerMinute < 1 || batchSize < 1) {
            throw new IllegalArgumentException("Invalid rate " + recordsPerMinute + "/min or batch " + batchSize
                    + ": both must be >= 1");
        }
        queries = queries == null ? List.of() : List.copyOf(queries);
    }

    public static LoadOptions of(Scenario scenario, Duration duration) {
        return new LoadOptions(scenario, duration, 0, DEFAULT_RECORDS_PER_MINUTE, DEFAULT_BATCH_SIZE, List.of(), 1);
    }

    public int effectiveUsers() {
        return users > 0 ? users : scenario.defaultUsers();
    }
}
