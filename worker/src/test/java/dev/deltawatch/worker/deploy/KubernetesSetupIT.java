package dev.deltawatch.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s without a cluster: on a staging stand-in (the reference target installed, deploy/sql/role.sql
 * applied, as README's steps say), the setup Job's container runs with the ConfigMap mounted where the Job mounts
 * it and the secrets it names, and exits 0; then the Deployment's container, as the least-privilege role its
 * config names, must pass its readinessProbe and publish its start-up baseline. Run from the real manifests.
 */
class KubernetesSetupIT {
    private static final Path ROOT = Path.of("..");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void theSetupJobPreparesStagingAndTheDeploymentsWorkerBecomesReady() throws Exception {
        JsonNode job = YAML.readTree(ROOT.resolve("deploy/k8s/setup-job.yaml").toFile());
        JsonNode deployment = YAML.readTree(ROOT.resolve("deploy/k8s/deployment.yaml").toFile());
        JsonNode configMap = YAML.readTree(ROOT.resolve("deploy/k8s/configmap.yaml").toFile());
        JsonNode setup = job.at("/spec/template/spec/containers/0");
        JsonNode worker = deployment.at("/spec/template/spec/containers/0");
        assertThat(setup.path("image").asText()).isEqualTo(worker.path("image").asText());

        String isolation = "k8s" + System.nanoTime() % 1_000_000_000L;
        Path work = Files.createDirectories(Path.of("target", "k8s-" + isolation));
        try (HikariDataSource admin = TestInfrastructure.referenceTarget("k8s_setup")) {
            try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                s.execute(Files.readString(ROOT.resolve("deploy/sql/role.sql")));
            }
            // The embedded server trusts local logins; the passwords only have to be there, as in a real Secret.
            Map<String, String> secrets = Map.of("jdbc-url", admin.getJdbcUrl(), "admin-user", "postgres",
                    "admin-password", "admin-secret", "database-password", "worker-secret",
                    "kafka-bootstrap", TestInfrastructure.kafka().bootstrapServers());

            Path jobLog = work.resolve("setup-job.log");
            Process p = image(job, setup, configMap, work.resolve("job-fs"))
                    .start(args(setup), env(setup, secrets, isolation), jobLog);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("setup Job finished").isTrue();
            assertThat(p.exitValue()).as(Files.readString(jobLog)).isZero();
            assertThat(publishedTables(admin, "deltawatch")).contains("pfa_records");

            Map<String, String> env = env(worker, secrets, isolation);
            int port = ComposeSequence.freePort();
            env.put(WorkerConfigDef.METRICS_PORT.envName(), Integer.toString(port));
            JsonNode probe = worker.at("/readinessProbe/httpGet");
            assertThat(worker.path("ports").findValuesAsText("name")).contains(probe.path("port").asText());
            assertThat(worker.at("/ports/0/containerPort").asText()).isEqualTo(
                    WorkerConfigDef.METRICS_PORT.defaultValue());
            Path workerLog = work.resolve("worker.log");
            Process run = image(deployment, worker, configMap, work.resolve("worker-fs"))
                    .start(args(worker), env, workerLog);
            try {
                boolean ready = ComposeSequence.awaitReady(run, URI.create("http://127.0.0.1:" + port
                        + probe.path("path").asText()), Duration.ofMinutes(3));
                assertThat(ready).as(tail(workerLog)).isTrue();
                Set<String> families = WorkerConfigLoader.parse(configMap.at("/data/worker.yaml").asText(),
                        "configmap worker.yaml", Map.of(), List.of()).families();
                assertThat(ComposeStackIT.baselineFamilies(ComposeSequence.topic(isolation,
                        WorkerConfigDef.TOPIC_CHECK_RUNS), families, Duration.ofMinutes(4)))
                        .as(tail(workerLog)).containsAll(families);
                // The worker's role, not the admin that created it, writes capture's heartbeat (every 10 s by
                // default): without it a quiet database's slot never advances and retains WAL.
                assertThat(heartbeatWithin(admin, Duration.ofSeconds(60))).as(tail(workerLog)).isTrue();
            } finally {
                run.destroy();
                if (!run.waitFor(20, TimeUnit.SECONDS)) {
                    run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                try (Connection c = admin.getConnection(); PreparedStatement ps = c.prepareStatement(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                                + "WHERE slot_name = ? AND NOT active")) {
                    ps.setString(1, isolation);
                    ps.execute();
                }
            }
        }
    }

    /** The image with the pod's ConfigMap volumes mounted where the container mounts them. */
    private static DeltawatchImage image(JsonNode manifest, JsonNode container, JsonNode configMap, Path fs)
            throws IOException {
        Map<String, String> volumeToConfigMap = new LinkedHashMap<>();
        for (JsonNode v : manifest.at("/spec/template/spec/volumes")) {
            if (v.has("configMap")) {
                volumeToConfigMap.put(v.path("name").asText(), v.at("/configMap/name").asText());
            }
        }
        Map<String, Path> binds = new LinkedHashMap<>();
        Path data = Files.createDirectories(fs.resolveSibling(fs.getFileName() + "-configmap"));
        for (JsonNode mount : container.path("volumeMounts")) {
            String cm = volumeToConfigMap.get(mount.path("name").asText());
            if (cm == null) {
                continue;
            }
            assertThat(cm).as("ConfigMap the pod mounts").isEqualTo(configMap.at("/metadata/name").asText());
            for (var e : (Iterable<Map.Entry<String, JsonNode>>) () -> configMap.path("data").fields()) {
                Path file = data.resolve(e.getKey());
                Files.writeString(file, e.getValue().asText());
                binds.put(mount.path("mountPath").asText() + "/" + e.getKey(), file);
            }
        }
        return DeltawatchImage.layout(ROOT, ROOT.resolve(ComposeSequence.DOCKERFILE), binds, fs);
    }

    private static List<String> args(JsonNode container) {
        assertThat(container.has("command")).as("container overrides the entrypoint").isFalse();
        List<String> out = new ArrayList<>();
        container.path("args").forEach(a -> out.add(a.asText()));
        return out;
    }

    /** The container's environment: plain values, and secret keys from {@code secrets} (optional ones may be absent). */
    private static Map<String, String> env(JsonNode container, Map<String, String> secrets, String isolation) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            if (ref.isMissingNode()) {
                env.put(e.path("name").asText(), e.path("value").asText());
            } else if (secrets.containsKey(ref.path("key").asText())) {
                env.put(e.path("name").asText(), secrets.get(ref.path("key").asText()));
            } else {
                assertThat(ref.path("optional").asBoolean()).as("secret key " + ref.path("key").asText()).isTrue();
            }
        }
        env.putAll(ComposeSequence.isolationEnv(isolation));
        return env;
    }

    private static List<String> publishedTables(HikariDataSource ds, String publication) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT tablename FROM pg_publication_tables WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static boolean heartbeatWithin(HikariDataSource ds, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM deltawatch.heartbeat")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return true;
                }
            }
            Thread.sleep(1_000);
        }
        return false;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
