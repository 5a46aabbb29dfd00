package dev.deltawatch.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.deltawatch.worker.config.ConfigKey;
import dev.deltawatch.worker.config.TargetConfigLoader;
import dev.deltawatch.worker.config.WorkerConfig;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.config.WorkerConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the deployment files are checked by reading them: every YAML parses, and the
 * images, ports, paths, environment variables and config keys they name exist and agree with the code.
 */
class DeployFilesTest {
    private static final Path ROOT = Path.of("..");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("docker-compose.yml")));
        try (Stream<Path> s = Files.walk(ROOT.resolve("deploy"))) {
            s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).forEach(files::add);
        }
        assertThat(files).hasSizeGreaterThan(6);
        for (Path f : files) {
            try (var parser = new YAMLFactory().createParser(f.toFile())) {
                assertThat(YAML.readValues(parser, JsonNode.class).readAll()).as(f.toString()).isNotEmpty();
            }
        }
    }

    @Test
    void shippedWorkerAndTargetConfigsAreValid() throws IOException {
        WorkerConfig worker = WorkerConfigLoader.load(ROOT.resolve("deploy/config/worker.yaml"), Map.of(), List.of());
        assertThat(worker.string(WorkerConfigDef.TARGET_FILE)).isEqualTo("/etc/deltawatch/target.yaml");
        TargetConfigLoader.fromFile(ROOT.resolve("deploy/config/target.yaml"));

        JsonNode configMap = YAML.readTree(ROOT.resolve("deploy/k8s/configmap.yaml").toFile());
        WorkerConfigLoader.parse(configMap.at("/data/worker.yaml").asText(), "configmap worker.yaml", Map.of(), List.of());
        TargetConfigLoader.parse(configMap.at("/data/target.yaml").asText(), "configmap target.yaml");
    }

    @Test
    void portsAndProbePathsAgreeWithTheWorker() throws IOException {
        String port = WorkerConfigDef.METRICS_PORT.defaultValue();
        JsonNode compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        assertThat(compose.at("/services/deltawatch/ports/0").asText()).isEqualTo(port + ":" + port);
        assertThat(compose.at("/services/deltawatch/healthcheck/test/1").asText()).contains("/health/ready");
        JsonNode deployment = YAML.readTree(ROOT.resolve("deploy/k8s/deployment.yaml").toFile());
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.at("/ports/0/containerPort").asText()).isEqualTo(port);
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(deployment.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(YAML.readTree(ROOT.resolve("deploy/k8s/service.yaml").toFile()).at("/spec/ports/0/port").asText())
                .isEqualTo(port);
        assertThat(Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml"))).contains("deltawatch:" + port);
    }

    @Test
    void dockerfileCopiesTheBuiltJarAndRunsAsNonRoot() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile"));
        String pom = Files.readString(ROOT.resolve("worker/pom.xml"));
        assertThat(pom).contains("<outputFile>${project.build.directory}/deltawatch.jar</outputFile>");
        assertThat(dockerfile).contains("/src/worker/target/deltawatch.jar").contains("USER 10001")
                .contains("EXPOSE " + WorkerConfigDef.METRICS_PORT.defaultValue());
        Matcher copies = Pattern.compile("(?m)^COPY (?!--from)(\\S+)").matcher(dockerfile);
        while (copies.find()) {
            assertThat(ROOT.resolve(copies.group(1))).as("COPY source " + copies.group(1)).exists();
        }
    }

    @Test
    void everyDeltawatchEnvironmentVariableNamedInDeployFilesIsOneTheWorkerReads() throws IOException {
        Set<String> known = new HashSet<>(Set.of("DELTAWATCH_JDBC_URL", "DELTAWATCH_JDBC_USER",
                "DELTAWATCH_JDBC_PASSWORD", "DELTAWATCH_KAFKA_BOOTSTRAP", "DELTAWATCH_INFRA"));
        WorkerConfigDef.KEYS.stream().map(ConfigKey::envName).forEach(known::add);
        Pattern env = Pattern.compile("DELTAWATCH_[A-Z_]+");
        for (Path f : List.of(ROOT.resolve("docker-compose.yml"), ROOT.resolve("deploy/k8s/deployment.yaml"),
                ROOT.resolve("deploy/k8s/setup-job.yaml"))) {
            Matcher m = env.matcher(Files.readString(f));
            while (m.find()) {
                assertThat(known).as(f + " names " + m.group()).contains(m.group());
            }
        }
    }

    @Test
    void composeMountsFilesThatExist() throws IOException {
        JsonNode compose = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
        for (JsonNode service : compose.get("services")) {
            for (JsonNode volume : service.path("volumes")) {
                String host = volume.asText().split(":")[0];
                if (host.startsWith("./")) {
                    assertThat(ROOT.resolve(host)).as("compose volume " + host).exists();
                }
            }
        }
    }

    @Test
    void kubernetesPrometheusRuleCarriesExactlyTheAlertRules() throws IOException {
        JsonNode alerts = YAML.readTree(ROOT.resolve("deploy/prometheus/alerts.yml").toFile());
        JsonNode rule = YAML.readTree(ROOT.resolve("deploy/k8s/prometheusrule.yaml").toFile());
        assertThat(rule.at("/kind").asText()).isEqualTo("PrometheusRule");
        assertThat(rule.at("/spec/groups")).isEqualTo(alerts.get("groups"));
    }
}
