package dev.deltawatch.worker.cli;

import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.target.seed.SeedSummary;
import dev.deltawatch.worker.target.seed.Seeder;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "seed", mixinStandardHelpOptions = true,
        description = "Fills the reference target with realistic generated PFA records through parallel COPY "
                + "(installs the target first if missing).")
public final class SeedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JdbcOptions jdbc;

    @Option(names = "--rows", defaultValue = "1000000", description = "Records to add (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed; same seed, same rows (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--truncate", description = "Empty the table first; otherwise append after the highest id.")
    boolean truncate;

    @Option(names = "--threads", defaultValue = "2", description = "Generator threads / COPY connections "
            + "(default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        SeedOptions options = new SeedOptions(rows, seed, truncate, threads, 1_000);
        Seeder seeder = new Seeder(jdbc.address(), System.err, System.console() != null);
        SeedSummary summary = seeder.seed(options);
        summary.print(spec.commandLine().getOut());
        return 0;
    }
}
