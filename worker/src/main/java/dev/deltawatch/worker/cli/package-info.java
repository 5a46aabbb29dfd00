/**
 * Command line: picocli commands that parse arguments, build configuration and return an exit code. No logic
 * lives here; only {@link dev.deltawatch.worker.cli.Main} exits the JVM.
 */
package dev.deltawatch.worker.cli;
