package dev.deltawatch.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shape of the deploy files (metric names are checked against a live scrape in ObservabilityServerIT). */
class ObservabilityFilesTest {

    private static Path deploy() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("deploy"))) {
            p = p.getParent();
        }
        assertThat(p).as("deploy/ above the working directory").isNotNull();
        return p.resolve("deploy");
    }

    @Test
    void everyAlertHasSeverityAndRunbookAndTheIssuesSixConditionsAreCovered() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory())
                .readTree(deploy().resolve("prometheus/alerts.yml").toFile()).at("/groups/0/rules");
        Set<String> names = new HashSet<>();
        for (JsonNode rule : rules) {
            names.add(rule.get("alert").asText());
            assertThat(rule.at("/labels/severity").asText()).as(rule.get("alert").asText()).isIn("page", "warning");
            assertThat(rule.at("/annotations/runbook").asText()).as(rule.get("alert").asText()).hasSizeGreaterThan(80);
            assertThat(rule.at("/annotations/summary").asText()).isNotBlank();
        }
        assertThat(names).containsExactlyInAnyOrder("DeltawatchBlockerFindingOpen", "DeltawatchChecksStale",
                "DeltawatchDetectionLatencyHigh", "DeltawatchReplicationSlotRetainingWal", "DeltawatchCaptureDown",
                "DeltawatchDeadLettersGrowing");
    }

    @Test
    void dashboardIsAStandardModelWhosePanelsUseTheDatasourceVariable() throws Exception {
        JsonNode dash = new ObjectMapper().readTree(deploy().resolve("grafana/deltawatch-dashboard.json").toFile());
        assertThat(dash.get("uid").asText()).isEqualTo("deltawatch-overview");
        assertThat(dash.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        JsonNode ds = dash.at("/templating/list/0");
        assertThat(ds.get("type").asText()).isEqualTo("datasource");
        assertThat(ds.get("query").asText()).isEqualTo("prometheus");
        Set<Integer> ids = new HashSet<>();
        StringBuilder exprs = new StringBuilder();
        for (JsonNode panel : dash.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("unique panel id %s", panel.get("id")).isTrue();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.at("/datasource/uid").asText()).isEqualTo("${datasource}");
                exprs.append(target.get("expr").asText()).append('\n');
            }
        }
        for (String needed : List.of("deltawatch_findings_open", "deltawatch_checks_total",
                "deltawatch_check_duration_seconds_bucket", "deltawatch_detection_latency_seconds_bucket",
                "deltawatch_capture_lag_seconds", "deltawatch_replication_slot_retained_bytes",
                "kafka_consumer_fetch_manager_records_lag_max")) {
            assertThat(exprs).as("a panel shows %s", needed).contains(needed);
        }
    }
}
