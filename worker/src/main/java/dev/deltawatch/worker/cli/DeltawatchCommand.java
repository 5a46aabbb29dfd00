package dev.deltawatch.worker.cli;

import picocli.CommandLine.Command;

@Command(name = "deltawatch",
        mixinStandardHelpOptions = true,
        version = "deltawatch 0.1.0",
        description = "Keeps PostgreSQL cached mirror + delta systems honest: captures changes, re-runs the "
                + "checks they can break, and publishes findings.",
        subcommands = {InfraCommand.class, DemoCommand.class, TargetCommand.class, SeedCommand.class, LoadCommand.class,
                CaptureCommand.class, SetupCommand.class, RunCommand.class, UninstallCommand.class, InitCommand.class,
                CheckCommand.class, FindingsCommand.class, BenchCommand.class})
public final class DeltawatchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
