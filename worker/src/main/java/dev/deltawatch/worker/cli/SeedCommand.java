package dev.deltawatch.worker.cli;

import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.SeedReport;
import dev.deltawatch.worker.target.seed.SeedOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "seed", mixinStandardHelpOptions = true,
        description = "Fills an example target with realistic generated records through COPY (installs the target "
                + "first if missing). --rows counts mirror records; deltas come on top as the target's distribution "
                + "says.")
public final class SeedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JdbcOptions jdbc;

    @Option(names = "--target", defaultValue = ExampleTargets.DEFAULT,
            description = "Example target to seed (see `target list`; default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--rows", defaultValue = "1000000", description = "Records to add (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed; same seed, same rows (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--truncate", description = "Empty the table first; otherwise append after the highest id.")
    boolean truncate;

    @Option(names = "--threads", defaultValue = "2", description = "Generator threads / COPY connections "
            + "(reference target only; default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        SeedOptions options = new SeedOptions(rows, seed, truncate, threads, 1_000);
        ExampleTarget example = ExampleTargets.named(target);
        SeedReport report = example.seeder().seed(jdbc.address(), options, System.err, System.console() != null);
        report.print(spec.commandLine().getOut());
        return 0;
    }
}
