package dev.deltawatch.worker.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.capture.SchemaMode;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ExampleTargets;
import dev.deltawatch.worker.target.SeedOnce;
import dev.deltawatch.worker.target.seed.SeedOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code run} needs in the database before it starts, read from the same worker config and environment as
 * {@code run}, so the publication and the watched tables are the ones the worker will use. The one-shot service
 * of docker-compose.yml and the setup Job of deploy/k8s run it; both run it again on every start, so it is
 * idempotent.
 */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = "Prepares the database for `run --config FILE` (same config, same environment) and exits: with "
                + "--example, installs that example target and seeds it while it holds no record; then installs "
                + "capture (deltawatch schema, event trigger when a superuser, the publication over the config's "
                + "tables). Idempotent: a second run changes nothing and seeds nothing.")
public final class SetupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "Worker config YAML, the one `run` is given.")
    Path config;

    @Option(names = "--example", description = "Example target to install and seed first (see `target list`); "
            + "omit it for your own system, which must already be in the database.")
    String example;

    @Option(names = "--seed-rows", defaultValue = "10000", description = "Records to seed into the example target "
            + "when it holds none (0: none; default: ${DEFAULT-VALUE}).")
    long seedRows;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed of the generated records (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        WorkerConfig worker = WorkerConfigs.load(config, null, null, List.of(WorkerConfigDef.JDBC_URL));
        PostgresAddress pg = WorkerConfigs.postgres(worker);
        PrintWriter out = spec.commandLine().getOut();
        if (example != null) {
            ExampleTarget target = ExampleTargets.named(example);
            SeedOptions options = seedRows > 0 ? new SeedOptions(seedRows, seed, false, 2, 1_000) : null;
            SeedOnce.Outcome outcome = SeedOnce.apply(target, pg, options, System.err);
            out.println(outcome.migrationsApplied() == 0 ? target.name() + " target already installed"
                    : target.name() + " target installed: " + outcome.migrationsApplied() + " migration(s) applied");
            if (outcome.seeded() != null) {
                outcome.seeded().print(out);
            } else if (outcome.hadRecords()) {
                out.println(target.name() + " target already holds records; not seeding");
            }
        }
        String slot = worker.string(WorkerConfigDef.SLOT);
        CaptureSettings defaults = CaptureSettings.defaults();
        // Only the publication matters to the install; the topics are the worker's business at run time.
        CaptureSettings settings = defaults.withNames(slot, worker.string(WorkerConfigDef.PUBLICATION),
                defaults.topic(), defaults.offsetTopic());
        try (HikariDataSource ds = Database.pool(pg, "setup", 2)) {
            SchemaMode mode = CaptureInstaller.install(ds, WorkerConfigs.target(worker), settings);
            out.println("capture installed: publication " + settings.publicationName() + ", schema changes by " + mode);
        }
        out.println("ready for: deltawatch run --config " + config);
        out.flush();
        return 0;
    }
}
