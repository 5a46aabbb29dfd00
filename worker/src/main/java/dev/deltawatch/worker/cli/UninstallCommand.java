package dev.deltawatch.worker.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.config.TargetConfigLoader;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.infra.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Removes everything deltawatch installed in the target database: the replication slot, the "
                + "publication, the event triggers, the deltawatch schema (DDL audit, heartbeat, plan baselines), "
                + "probe rows and the deltawatch_probe schema. Idempotent; prints what it removed. Stop the workers "
                + "first: an active slot is refused unless --force. Exit 0 when everything is gone, 1 when refused "
                + "or a step was skipped.")
public final class UninstallCommand implements Callable<Integer> {
    static final int REFUSED = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "Worker config YAML (database, target file, slot and publication names).")
    Path config;

    @Option(names = "--jdbc-url", description = "Overrides deltawatch.database.jdbc.url (or $DELTAWATCH_JDBC_URL).")
    String jdbcUrl;

    @Option(names = "--slot", description = "Overrides deltawatch.capture.slot.name.")
    String slot;

    @Option(names = "--publication", description = "Overrides deltawatch.capture.publication.name.")
    String publication;

    @Option(names = "--target-config", description = "Target config YAML whose probe column holds the probe rows "
            + "(overrides deltawatch.target.file; default: the reference target).")
    Path targetConfig;

    @Option(names = "--dry-run", description = "Change nothing; print what would be removed.")
    boolean dryRun;

    @Option(names = "--force", description = "Terminate the walsender of an active slot (a running capture) and drop "
            + "it anyway.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        WorkerConfig worker = WorkerConfigs.load(config, jdbcUrl);
        TargetConfig target = targetConfig == null ? WorkerConfigs.target(worker)
                : TargetConfigLoader.fromFile(targetConfig);
        String slotName = slot == null ? worker.string(WorkerConfigDef.SLOT) : slot;
        String publicationName = publication == null ? worker.string(WorkerConfigDef.PUBLICATION) : publication;
        PrintWriter out = spec.commandLine().getOut();
        List<Uninstaller.Step> steps;
        try (HikariDataSource ds = Database.pool(WorkerConfigs.postgres(worker), "uninstall", 2)) {
            steps = new Uninstaller(ds, target, slotName, publicationName, dryRun, force, Duration.ofSeconds(10)).run();
        } catch (Uninstaller.SlotActive refused) {
            spec.commandLine().getErr().println("deltawatch: " + refused.getMessage());
            return REFUSED;
        }
        if (dryRun) {
            out.println("dry run: nothing was changed");
        }
        steps.forEach(out::println);
        out.flush();
        return steps.stream().anyMatch(s -> s.outcome() == Uninstaller.Outcome.SKIPPED) ? REFUSED : 0;
    }
}
