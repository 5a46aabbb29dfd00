package dev.deltawatch.worker.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.capture.CaptureInstaller;
import dev.deltawatch.worker.capture.CaptureSettings;
import dev.deltawatch.worker.capture.ChangeCapture;
import dev.deltawatch.worker.capture.SchemaMode;
import dev.deltawatch.worker.config.ConfigException;
import dev.deltawatch.worker.config.TargetConfigLoader;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Change capture: install it in the target, run it, remove its slot.",
        subcommands = {CaptureCommand.Install.class, CaptureCommand.Run.class, CaptureCommand.DropSlot.class,
                CaptureCommand.Uninstall.class})
public final class CaptureCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Names shared by the subcommands. */
    static final class Names {
        @Option(names = "--slot", defaultValue = "deltawatch", description = "Replication slot (default: ${DEFAULT-VALUE}).")
        String slot;

        @Option(names = "--publication", defaultValue = "deltawatch",
                description = "Publication (default: ${DEFAULT-VALUE}).")
        String publication;

        @Option(names = "--target-config", description = "Target config YAML (default: the reference target).")
        Path targetConfig;

        @Option(names = "--schema-mode", defaultValue = "AUTO",
                description = "How DDL is seen: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        SchemaMode schemaMode;

        TargetConfig target() {
            return targetConfig == null ? ReferenceTarget.config() : TargetConfigLoader.fromFile(targetConfig);
        }

        CaptureSettings settings() {
            CaptureSettings d = CaptureSettings.defaults();
            try {
                return d.withNames(slot, publication, d.topic(), d.offsetTopic())
                        .withSchemaMode(schemaMode, d.catalogPollInterval());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("the command line", List.of(e.getMessage()));
            }
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Creates the deltawatch schema (DDL audit, heartbeat), the event trigger when the role is "
                    + "a superuser (else capture polls the catalog), and the publication. Idempotent.")
    static final class Install implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        JdbcOptions jdbc;
        @Mixin
        Names names;

        @Override
        public Integer call() throws Exception {
            try (HikariDataSource ds = Database.pool(jdbc.address(), "capture-install", 2)) {
                SchemaMode mode = CaptureInstaller.install(ds, names.target(), names.settings());
                spec.commandLine().getOut().println("capture installed: publication " + names.publication
                        + ", schema changes by " + mode);
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs capture until Ctrl-C (a standby when another capture holds the database).")
    static final class Run implements Callable<Integer> {
        @Mixin
        JdbcOptions jdbc;
        @Mixin
        Names names;
        @Option(names = "--kafka-bootstrap", defaultValue = "${env:DELTAWATCH_KAFKA_BOOTSTRAP}",
                description = "Kafka bootstrap servers (default: $DELTAWATCH_KAFKA_BOOTSTRAP).")
        String bootstrap;

        @Override
        public Integer call() throws Exception {
            if (bootstrap == null || bootstrap.isBlank()) {
                throw new ConfigException("the command line",
                        List.of("--kafka-bootstrap is required (or set DELTAWATCH_KAFKA_BOOTSTRAP)"));
            }
            ChangeCapture capture = new ChangeCapture(jdbc.address(), new KafkaAddress(bootstrap), names.target(),
                    names.settings(), Clock.systemUTC());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                capture.close();
                stopped.countDown();
            }, "deltawatch-capture-shutdown"));
            capture.start();
            stopped.await(); // outages are retried inside; only a signal ends it
            return 0;
        }
    }

    @Command(name = "drop-slot", mixinStandardHelpOptions = true,
            description = "Drops capture's replication slot (a stopped capture's slot retains WAL).")
    static final class DropSlot implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        JdbcOptions jdbc;
        @Mixin
        Names names;

        @Override
        public Integer call() throws Exception {
            try (HikariDataSource ds = Database.pool(jdbc.address(), "capture-drop-slot", 1)) {
                boolean dropped = CaptureInstaller.dropSlot(ds, names.settings().slotName());
                spec.commandLine().getOut().println(dropped ? "slot " + names.slot + " dropped"
                        : "slot " + names.slot + " does not exist; nothing to do");
            }
            return 0;
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = "Removes the event triggers, the deltawatch schema and the publication (not the slot).")
    static final class Uninstall implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        JdbcOptions jdbc;
        @Mixin
        Names names;

        @Override
        public Integer call() throws Exception {
            try (HikariDataSource ds = Database.pool(jdbc.address(), "capture-uninstall", 1)) {
                CaptureInstaller.uninstall(ds, names.settings().publicationName());
                spec.commandLine().getOut().println("capture uninstalled (publication " + names.publication
                        + "); drop the slot with: deltawatch capture drop-slot --slot " + names.slot
                        + " (deltawatch uninstall removes the slot and probe rows too)");
            }
            return 0;
        }
    }
}
