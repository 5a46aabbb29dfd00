package dev.deltawatch.worker.cli;

import dev.deltawatch.worker.config.ConfigException;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.infra.KafkaAddress;
import dev.deltawatch.worker.runtime.WorkerRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the worker: capture (when it holds the slot), the validate loop, metrics and health, "
                + "until SIGTERM or Ctrl-C.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "Worker config YAML (see README, Configuration reference).")
    Path config;

    @Option(names = "--roles", split = ",", description = "Overrides deltawatch.roles: capture, validate or both.")
    List<String> roles;

    @Override
    public Integer call() throws Exception {
        String override = roles == null ? null : String.join(",", roles);
        WorkerConfig worker = WorkerConfigs.load(config, null, override,
                List.of(WorkerConfigDef.JDBC_URL, WorkerConfigDef.KAFKA_BOOTSTRAP));
        String bootstrap = worker.string(WorkerConfigDef.KAFKA_BOOTSTRAP);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new ConfigException(String.valueOf(config), List.of("deltawatch.kafka.bootstrap.servers is required"));
        }
        WorkerRuntime runtime = WorkerRuntime.start(worker, WorkerConfigs.target(worker), WorkerConfigs.postgres(worker),
                new KafkaAddress(bootstrap), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "deltawatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
        return 0;
    }
}
