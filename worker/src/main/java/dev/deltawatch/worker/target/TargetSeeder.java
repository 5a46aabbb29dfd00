package dev.deltawatch.worker.target;

import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.seed.SeedOptions;
import java.io.PrintStream;

/**
 * Fills one example target with generated data: installs it if missing, then writes {@code options.rows()}
 * records (mirror rows; deltas come on top of them as the target's distribution says). The same seed and row
 * count give identical data.
 */
@FunctionalInterface
public interface TargetSeeder {
    /**
     * @param log      progress and notices (stderr in the CLI); null for a silent run
     * @param terminal redraw a progress bar instead of printing a line every few seconds
     */
    SeedReport seed(PostgresAddress address, SeedOptions options, PrintStream log, boolean terminal) throws Exception;
}
