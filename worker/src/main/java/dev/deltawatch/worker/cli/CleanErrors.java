package dev.deltawatch.worker.cli;

import dev.deltawatch.worker.config.ConfigException;
import java.sql.SQLException;
import picocli.CommandLine;

/**
 * Turns failures into one readable message and an exit code: 2 for bad configuration or an unreachable
 * database (usage errors, in CI terms), 3 for anything else. Stack traces only with {@code DELTAWATCH_DEBUG=1}.
 */
final class CleanErrors implements CommandLine.IExecutionExceptionHandler {
    static final int USAGE_OR_CONNECTION = 2;
    static final int INTERNAL = 3;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        if ("1".equals(System.getenv("DELTAWATCH_DEBUG"))) {
            e.printStackTrace(cli.getErr());
        }
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof ConfigException) && !(root instanceof SQLException)) {
            root = root.getCause();
        }
        if (root instanceof ConfigException) {
            cli.getErr().println("deltawatch: " + root.getMessage());
            return USAGE_OR_CONNECTION;
        }
        if (root instanceof SQLException sql) {
            cli.getErr().println("deltawatch: database error (SQLSTATE " + sql.getSQLState() + "): "
                    + sql.getMessage());
            return USAGE_OR_CONNECTION;
        }
        cli.getErr().println("deltawatch: " + cli.getCommandName() + " failed: " + e.getMessage());
        return INTERNAL;
    }
}
