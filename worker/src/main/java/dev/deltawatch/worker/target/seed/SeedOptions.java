package dev.deltawatch.worker.target.seed;

/**
 * What to seed.
 *
 * @param rows          number of records to add
 * @param seed          the random seed; the same seed and row count give identical rows
 * @param truncate      empty the table first (ids restart at 1); otherwise append after the highest id
 * @param threads       generator threads, each feeding its own COPY connection
 * @param chunkRows     rows generated and sent per COPY write
 */
public record SeedOptions(long rows, long seed, boolean truncate, int threads, int chunkRows) {
    public static final long DEFAULT_ROWS = 1_000_000;
    public static final long DEFAULT_SEED = 42;

    public SeedOptions {
        if (rows < 1) {
            throw new IllegalArgumentException("Invalid value " + rows + " for rows: must be >= 1");
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("Invalid value " + threads + " for threads: must be 1..64");
        }
        if (chunkRows < 1) {
            throw new IllegalArgumentException("Invalid value " + chunkRows + " for chunkRows: must be >= 1");
        }
    }

    public static SeedOptions of(long rows, long seed, boolean truncate) {
        return new SeedOptions(rows, seed, truncate, 2, 1_000);
    }
}
