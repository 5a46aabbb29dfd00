package dev.deltawatch.worker.cli;

import dev.deltawatch.worker.config.ConfigException;
import dev.deltawatch.worker.config.TargetConfigLoader;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.discover.ConfigDiff;
import dev.deltawatch.worker.discover.Discovery;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.runtime.OneShotCheck;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Discovers a target config from the database's catalog (read-only) and writes it, every "
                + "choice commented with what was seen and how sure. An existing file is not overwritten: its diff "
                + "is shown (exit 1) unless --force. Exit 2 when the schema holds no mirror + delta pattern or cannot "
                + "be read. --check then runs `check` with the new config (its exit code).")
public final class InitCommand implements Callable<Integer> {
    static final int EXISTING_DIFFERS = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    JdbcOptions jdbc = new JdbcOptions();

    @Option(names = "--schema", defaultValue = "public", description = "Schema to read (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--output", defaultValue = "target.yaml", description = "Where to write (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--force", description = "Overwrite an existing --output file.")
    boolean force;

    @Option(names = "--check", description = "Run every check once with the new config (as `check` does).")
    boolean check;

    @Override
    public Integer call() throws Exception {
        PostgresAddress address = jdbc.address();
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        Discovery.Result result;
        Properties props = new Properties();
        props.setProperty("user", address.user());
        props.setProperty("password", address.password());
        props.setProperty("ApplicationName", "deltawatch-init");
        Properties simpleProps = new Properties();
        simpleProps.putAll(props);
        simpleProps.setProperty("preferQueryMode", "simple");
        simpleProps.setProperty("readOnly", "true");
        try (Connection c = DriverManager.getConnection(address.jdbcUrl(), props);
             Connection simple = DriverManager.getConnection(address.jdbcUrl(), simpleProps)) {
            result = Discovery.discover(c, simple, schema);
        }
        // What init writes must load: a config that fails its own schema is a bug, reported before anything is written.
        TargetConfigLoader.parse(result.yaml(), "the discovered config");
        out.printf("deltawatch init: discovered schema %s in %.1f s%n", schema, (System.nanoTime() - start) / 1e9);
        result.summary().forEach(s -> out.println("  " + s));
        result.todos().forEach(t -> out.println("  TODO " + t));
        if (Files.exists(output) && !force) {
            String existing = Files.readString(output, StandardCharsets.UTF_8);
            List<String> diff = ConfigDiff.lines(existing, result.yaml());
            if (diff.isEmpty()) {
                out.println(output + " is up to date: nothing written");
                out.flush();
                return runCheck(address, out);
            }
            out.println(output + " exists and differs (- existing, + discovered); not overwritten without --force:");
            diff.forEach(out::println);
            out.flush();
            return EXISTING_DIFFERS;
        }
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
        out.println("written " + output);
        out.flush();
        return runCheck(address, out);
    }

    private int runCheck(PostgresAddress address, PrintWriter out) throws Exception {
        if (!check) {
            return 0;
        }
        out.println("running check with " + output + " ...");
        out.flush();
        WorkerConfig worker = WorkerConfigs.load(null, address.jdbcUrl());
        OneShotCheck.Settings settings = new OneShotCheck.Settings(address, worker.integer(WorkerConfigDef.POOL_SIZE),
                worker.millis(WorkerConfigDef.STATEMENT_TIMEOUT_MS), worker.millis(WorkerConfigDef.LOCK_TIMEOUT_MS),
                Duration.ofMillis(OneShotCheck.DEFAULT_POOLING_WINDOW_MS));
        if (!Files.exists(output)) {
            throw new ConfigException("--output", List.of("no config at " + output));
        }
        return CheckCommand.runOnce(spec, TargetConfigLoader.fromFile(output), worker.families(), settings,
                dev.deltawatch.worker.publish.report.ReportFormat.TEXT, false, null);
    }
}
