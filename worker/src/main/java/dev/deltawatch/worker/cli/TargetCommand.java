package dev.deltawatch.worker.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.infra.Database;
import dev.deltawatch.worker.target.ReferenceTarget;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "target", mixinStandardHelpOptions = true,
        description = "The reference mirror + delta target.",
        subcommands = {TargetCommand.Install.class})
public final class TargetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Applies the reference target's migrations (idempotent).")
    static final class Install implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        JdbcOptions jdbc;

        @Override
        public Integer call() {
            try (HikariDataSource ds = Database.pool(jdbc.address(), "target-install", 2)) {
                int applied = ReferenceTarget.install(ds);
                spec.commandLine().getOut().println(applied == 0
                        ? "reference target already installed; nothing to do"
                        : "reference target installed: " + applied + " migration(s) applied");
            }
            return 0;
        }
    }
}
