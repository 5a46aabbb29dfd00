package dev.deltawatch.worker.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.target.ExampleTarget;
import dev.deltawatch.worker.target.ExampleTargets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "target", mixinStandardHelpOptions = true,
        description = "The example mirror + delta targets deltawatch ships (reference, drafts, overrides).",
        subcommands = {TargetCommand.ListTargets.class, TargetCommand.Install.class})
public final class TargetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One line per example target: its name, then its shape.")
    static final class ListTargets implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            int width = ExampleTargets.ALL.stream().mapToInt(t -> t.name().length()).max().orElse(0);
            for (ExampleTarget t : ExampleTargets.ALL) {
                spec.commandLine().getOut().println(String.format("%-" + width + "s  %s", t.name(), t.description()));
            }
            return 0;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Applies an example target's migrations (idempotent).")
    static final class Install implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JdbcOptions jdbc;

        @Option(names = "--target", defaultValue = ExampleTargets.DEFAULT,
                description = "Example target to install (see `target list`; default: ${DEFAULT-VALUE}).")
        String target;

        @Override
        public Integer call() {
            ExampleTarget example = ExampleTargets.named(target);
            try (HikariDataSource ds = Database.pool(jdbc.address(), "target-install", 2)) {
                int applied = example.install(ds);
                spec.commandLine().getOut().println(applied == 0
                        ? example.name() + " target already installed; nothing to do"
                        : example.name() + " target installed: " + applied + " migration(s) applied");
            }
            return 0;
        }
    }
}
