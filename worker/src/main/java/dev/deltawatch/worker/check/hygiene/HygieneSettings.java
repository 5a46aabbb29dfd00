package dev.deltawatch.worker.check.hygiene;

import dev.deltawatch.worker.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Thresholds of the hygiene checks. Immutable; {@link #defaults()} holds the documented defaults, and the
 * constructor rejects invalid values naming the configuration key ({@code deltawatch.check.hygiene.*}).
 *
 * @param poolingWindow           how long the pooling check watches new sessions (key {@code pooling.window.ms},
 *                                default 10 s); the run blocks this long
 * @param poolingPollInterval     how often {@code pg_stat_activity} is polled inside the window
 *                                ({@code pooling.poll.ms}, default 250 ms)
 * @param maxNewSessionsPerMinute new sessions per minute on the database above which pooling is missing
 *                                ({@code pooling.max-new-sessions-per-minute}, default 60: a pool of 10 with a
 *                                30 min lifetime opens 0.3 a minute)
 * @param maxSubSecondBackends    client backends seen opening and closing within one second, at or above which
 *                                pooling is missing ({@code pooling.max-sub-second-backends}, default 20)
 * @param maxConnectionsShare     share of {@code max_connections} in use above which the server is near
 *                                saturation ({@code pooling.max-connections-share}, default 0.8)
 * @param maxUnboundedRows        actual rows of a registered read query without LIMIT above which it is
 *                                unbounded ({@code unbounded.max-rows}, default 10,000)
 * @param maxRowsPerCall          rows per call of a {@code pg_stat_statements} read entry above which it is
 *                                unbounded ({@code unbounded.max-rows-per-call}, default 10,000)
 * @param createPgStatStatements  whether the check may run {@code CREATE EXTENSION pg_stat_statements} when
 *                                the library is preloaded but the extension is missing
 *                                ({@code unbounded.create-extension}, default false: we do not change a target
 *                                uninvited)
 * @param unusedIndexMinBytes     size from which an index never scanned is reported
 *                                ({@code index.unused-min-bytes}, default 1 MiB)
 * @param seqScanMinLiveRows      live rows from which the index-share rule applies
 *                                ({@code table.seq-scan-min-live-rows}, default 10,000, PgHero's rule)
 * @param minIndexScanShare       idx_scan / (idx_scan + seq_scan) under which a table is mostly sequentially read
 *                                ({@code table.min-index-scan-share}, default 0.95, PgHero's rule)
 * @param staleSampleRows         rows sampled per table when comparing stored generated values
 *                                ({@code stale.sample-rows}, default 1,000)
 * @param backfillBatchRows       rows per batch in the backfill the stale-value fix proposes
 *                                ({@code stale.backfill-batch-rows}, default 5,000)
 * @param inactiveSlotAfter       how long a replication slot of the database may stay inactive before it is
 *                                reported ({@code slots.inactive-after.ms}, default 1 h: long enough for a worker
 *                                restart or a deploy, short enough that retained WAL has not filled a disk)
 */
public record HygieneSettings(Duration poolingWindow, Duration poolingPollInterval, double maxNewSessionsPerMinute,
                              int maxSubSecondBackends, double maxConnectionsShare, long maxUnboundedRows,
                              double maxRowsPerCall, boolean createPgStatStatements, long unusedIndexMinBytes,
                              long seqScanMinLiveRows, double minIndexScanShare, int staleSampleRows,
                              int backfillBatchRows, Duration inactiveSlotAfter) {

    public static final String PREFIX = "deltawatch.check.hygiene.";

    public HygieneSettings {
        List<String> problems = new ArrayList<>();
        if (poolingWindow == null || poolingWindow.toMillis() < 100) {
            problems.add(invalid("pooling.window.ms", poolingWindow == null ? null : poolingWindow.toMillis(),
                    "must be >= 100"));
        }
        if (poolingPollInterval == null || poolingPollInterval.toMillis() < 10
                || (poolingWindow != null && poolingPollInterval.compareTo(poolingWindow) > 0)) {
            problems.add(invalid("pooling.poll.ms", poolingPollInterval == null ? null : poolingPollInterval.toMillis(),
                    "must be >= 10 and <= pooling.window.ms"));
        }
        positive(problems, "pooling.max-new-sessions-per-minute", maxNewSessionsPerMinute);
        positive(problems, "pooling.max-sub-second-backends", maxSubSecondBackends);
        if (!(maxConnectionsShare > 0 && maxConnectionsShare <= 1)) {
            problems.add(invalid("pooling.max-connections-share", maxConnectionsShare, "must be in (0, 1]"));
        }
        positive(problems, "unbounded.max-rows", maxUnboundedRows);
        positive(problems, "unbounded.max-rows-per-call", maxRowsPerCall);
        if (unusedIndexMinBytes < 0) {
            problems.add(invalid("index.unused-min-bytes", unusedIndexMinBytes, "must be >= 0"));
        }
        positive(problems, "table.seq-scan-min-live-rows", seqScanMinLiveRows);
        if (!(minIndexScanShare > 0 && minIndexScanShare <= 1)) {
            problems.add(invalid("table.min-index-scan-share", minIndexScanShare, "must be in (0, 1]"));
        }
        positive(problems, "stale.sample-rows", staleSampleRows);
        positive(problems, "stale.backfill-batch-rows", backfillBatchRows);
        if (inactiveSlotAfter == null || inactiveSlotAfter.isNegative()) {
            problems.add(invalid("slots.inactive-after.ms", inactiveSlotAfter == null ? null
                    : inactiveSlotAfter.toMillis(), "must be >= 0"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("hygiene settings", problems);
        }
    }

    public static HygieneSettings defaults() {
        return new HygieneSettings(Duration.ofSeconds(10), Duration.ofMillis(250), 60, 20, 0.8, 10_000, 10_000,
                false, 1024 * 1024, 10_000, 0.95, 1_000, 5_000, Duration.ofHours(1));
    }

    public HygieneSettings withPooling(Duration window, Duration poll, double newPerMinute, int subSecond,
                                       double connectionsShare) {
        return new HygieneSettings(window, poll, newPerMinute, subSecond, connectionsShare, maxUnboundedRows,
                maxRowsPerCall, createPgStatStatements, unusedIndexMinBytes, seqScanMinLiveRows, minIndexScanShare,
                staleSampleRows, backfillBatchRows, inactiveSlotAfter);
    }

    public HygieneSettings withCreatePgStatStatements(boolean allowed) {
        return new HygieneSettings(poolingWindow, poolingPollInterval, maxNewSessionsPerMinute, maxSubSecondBackends,
                maxConnectionsShare, maxUnboundedRows, maxRowsPerCall, allowed, unusedIndexMinBytes,
                seqScanMinLiveRows, minIndexScanShare, staleSampleRows, backfillBatchRows, inactiveSlotAfter);
    }

    public HygieneSettings withUnusedIndexMinBytes(long bytes) {
        return new HygieneSettings(poolingWindow, poolingPollInterval, maxNewSessionsPerMinute, maxSubSecondBackends,
                maxConnectionsShare, maxUnboundedRows, maxRowsPerCall, createPgStatStatements, bytes,
                seqScanMinLiveRows, minIndexScanShare, staleSampleRows, backfillBatchRows, inactiveSlotAfter);
    }

    public HygieneSettings withInactiveSlotAfter(Duration after) {
        return new HygieneSettings(poolingWindow, poolingPollInterval, maxNewSessionsPerMinute, maxSubSecondBackends,
                maxConnectionsShare, maxUnboundedRows, maxRowsPerCall, createPgStatStatements, unusedIndexMinBytes,
                seqScanMinLiveRows, minIndexScanShare, staleSampleRows, backfillBatchRows, after);
    }

    private static void positive(List<String> problems, String key, double value) {
        if (!(value > 0)) {
            problems.add(invalid(key, value, "must be > 0"));
        }
    }

    private static String invalid(String key, Object value, String rule) {
        return "Invalid value " + value + " for configuration " + PREFIX + key + ": " + rule;
    }
}
