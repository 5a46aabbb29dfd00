package dev.deltawatch.worker.cli;

import picocli.CommandLine;

/** Entry point of {@code deltawatch.jar}. The only class that calls {@code System.exit}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The full command tree, for tests that run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new DeltawatchCommand());
        cli.setExecutionExceptionHandler(new CleanErrors());
        return cli;
    }
}
