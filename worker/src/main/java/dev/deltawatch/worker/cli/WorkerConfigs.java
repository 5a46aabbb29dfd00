package dev.deltawatch.worker.cli;

import dev.deltawatch.contracts.TargetConfig;
import dev.deltawatch.worker.config.ConfigKey;
import dev.deltawatch.worker.config.TargetConfigLoader;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import dev.deltawatch.worker.infra.PostgresAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Command-line glue: the worker config from a file plus environment, with command-line overrides. */
final class WorkerConfigs {
    private WorkerConfigs() {}

    static WorkerConfig load(Path file, String jdbcUrlOverride) {
        return load(file, jdbcUrlOverride, null, List.of(WorkerConfigDef.JDBC_URL));
    }

    /** Command-line values win over the environment, which wins over the file. */
    static WorkerConfig load(Path file, String jdbcUrlOverride, String rolesOverride, List<ConfigKey> required) {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (jdbcUrlOverride != null && !jdbcUrlOverride.isBlank()) {
            env.put(WorkerConfigDef.JDBC_URL.envName(), jdbcUrlOverride);
            env.remove("DELTAWATCH_JDBC_URL");
        }
        if (rolesOverride != null) {
            env.put(WorkerConfigDef.ROLES_KEY.envName(), rolesOverride);
        }
        return WorkerConfigLoader.load(file, env, required);
    }

    static TargetConfig target(WorkerConfig worker) {
        String file = worker.string(WorkerConfigDef.TARGET_FILE);
        return file.startsWith("classpath:") ? TargetConfigLoader.fromClasspath(file.substring("classpath:".length()))
                : TargetConfigLoader.fromFile(Path.of(file));
    }

    static PostgresAddress postgres(WorkerConfig worker) {
        String password = worker.string(WorkerConfigDef.JDBC_PASSWORD);
        return new PostgresAddress(worker.string(WorkerConfigDef.JDBC_URL), worker.string(WorkerConfigDef.JDBC_USER),
                password == null ? "" : password);
    }
}
