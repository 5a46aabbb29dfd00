package dev.deltawatch.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deltawatch.worker.findings.DefectGroups;
import dev.deltawatch.worker.infra.PostgresAddress;
import dev.deltawatch.worker.target.seed.SeedOptions;
import dev.deltawatch.worker.target.seed.Seeder;
import dev.deltawatch.worker.testing.CliRun;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One defect, one finding, on a 10K-record reference target: a broken merge function is a handful of findings
 * (not one per record) in a report under 1 MB, with the count, the share and the first documents; the per-record
 * results stay available with {@code --detail records}; a changed generated expression is one HIGH finding.
 */
class FindingFloodIT {
    private static final int ROWS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PostgresAddress seeded;

    @BeforeAll
    static void seed() throws Exception {
        seeded = TestInfrastructure.freshDatabase("flood");
        new Seeder(seeded, null, false).seed(SeedOptions.of(ROWS, 11, true));
    }

    @Test
    void aBrokenMergeFunctionIsAHandfulOfFindingsWithTheCountShareAndFirstDocuments(@TempDir Path dir)
            throws Exception {
        PostgresAddress db = faulty("flood_merge", "/faults/merge/05_null_delta_yields_null.sql");
        long broken = count(db, "SELECT count(*) FROM pfa_records WHERE delta_json IS NULL");
        assertThat(broken).as("records the fault breaks").isGreaterThan(1_000);

        Path report = dir.resolve("report.json");
        CliRun r = CliRun.run("check", "--jdbc-url", db.jdbcUrl(), "--families", "merge", "--format", "json",
                "--output", report.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(Files.size(report)).as("report bytes").isLessThan(1_000_000);
        JsonNode findings = JSON.readTree(report.toFile()).get("findings");
        assertThat(findings.size()).as("merge findings: %s", titles(findings)).isBetween(1, 5);

        JsonNode differential = single(findings, "merged-value-mismatch");
        assertThat(differential.get("severity").asText()).isEqualTo("BLOCKER");
        assertThat(differential.get("subject").get("kind").asText()).isEqualTo("merge-defect");
        assertThat(differential.get("subject").get("name").asText()).isEqualTo("public.pfa_records $: object → SQL NULL");
        String percent = String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * broken / ROWS);
        assertThat(differential.get("title").asText()).contains(String.format(java.util.Locale.ROOT,
                "(%,d of %,d checked, %s)", broken, ROWS, percent));
        JsonNode evidence = differential.get("evidence");
        assertThat(evidence.get(0).get("label").asText()).isEqualTo(DefectGroups.AFFECTED);
        List<String> affected = evidence.get(0).get("content").asText().lines().toList();
        assertThat(affected.get(0)).startsWith(broken + " of " + ROWS + " checked in this run (" + percent + ")");
        assertThat(affected.subList(1, affected.size())).hasSize(5)
                .allSatisfy(s -> assertThat(s).startsWith("public.pfa_records/"));
        // Each listed document is one the fault breaks, and the examples carry their diff and reproduction SQL.
        for (String member : affected.subList(1, affected.size())) {
            String key = member.substring(member.indexOf('/') + 1);
            assertThat(count(db, "SELECT count(*) FROM pfa_records WHERE delta_json IS NULL AND id = " + key))
                    .isEqualTo(1);
        }
        assertThat(labels(evidence)).contains("example 5: " + affected.get(5));
        assertThat(StreamSupport.stream(evidence.spliterator(), false)
                .filter(e -> e.get("label").asText().startsWith("example 2:")).findFirst().orElseThrow()
                .get("content").asText()).contains("$: expected").contains("reproduce:\nSELECT");
        assertThat(differential.get("reproductionSql").asText()).contains("pfa_merge");

        CliRun detail = CliRun.run("check", "--jdbc-url", db.jdbcUrl(), "--families", "merge", "--format", "json",
                "--detail", "records");
        JsonNode records = JSON.readTree(detail.out()).get("records");
        List<JsonNode> failed = new ArrayList<>();
        records.forEach(x -> {
            if (x.get("rule").asText().equals("merged-value-mismatch") && x.get("outcome").asText().equals("FAILED")) {
                failed.add(x);
            }
        });
        assertThat(failed).hasSize((int) broken).allSatisfy(x -> {
            assertThat(x.get("subject").get("kind").asText()).isEqualTo("record");
            assertThat(x.get("defectFingerprint").asText()).isEqualTo(differential.get("fingerprint").asText());
            assertThat(x.get("finding").get("evidence").size()).isGreaterThan(1);
        });
        assertThat(records.size()).isGreaterThanOrEqualTo(ROWS);
        CliRun text = CliRun.run("check", "--jdbc-url", db.jdbcUrl(), "--families", "merge", "--detail", "records");
        assertThat(text.code()).isEqualTo(2);
        assertThat(text.err()).contains("--detail").contains("--format json");
    }

    /** Every function fault of the merge catalog: at most 5 merge findings of BLOCKER/HIGH, a report under 1 MB. */
    @ParameterizedTest
    @ValueSource(strings = {"01_shallow_merge.sql", "02_delta_null_deletes.sql", "03_arrays_appended.sql",
            "04_string_zero_coerced.sql"})
    void everyMergeFunctionFaultIsAHandfulOfFindings(String fault, @TempDir Path dir) throws Exception {
        PostgresAddress db = faulty("flood_" + fault.substring(0, 2), "/faults/merge/" + fault);
        Path report = dir.resolve("report.json");
        CliRun r = CliRun.run("check", "--jdbc-url", db.jdbcUrl(), "--families", "merge", "--format", "json",
                "--output", report.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(Files.size(report)).as("report bytes").isLessThan(1_000_000);
        JsonNode findings = JSON.readTree(report.toFile()).get("findings");
        List<JsonNode> severe = new ArrayList<>();
        findings.forEach(f -> {
            if (f.get("severity").asText().equals("BLOCKER") || f.get("severity").asText().equals("HIGH")) {
                severe.add(f);
            }
        });
        assertThat(severe).as("findings: %s", titles(findings)).isNotEmpty().hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void aCleanTargetHasNoFindings() throws Exception {
        PostgresAddress db = faulty("flood_clean", null);
        CliRun r = CliRun.run("check", "--jdbc-url", db.jdbcUrl(), "--families", "merge", "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).get("findings").size()).isZero();
    }

    @Test
    void aChangedGeneratedExpressionIsOneHighFindingWithTheCount() throws Exception {
        PostgresAddress db = faulty("flood_generated", "/faults/merge/06_generated_category_from_mirror.sql");
        long drifting = count(db, "SELECT count(*) FROM pfa_records WHERE merged_category IS DISTINCT FROM "
                + "pfa_merge(mirror_json, delta_json) ->> 'category'");
        assertThat(drifting).isGreaterThan(100);
        CliRun r = CliRun.run("check", "--jdbc-url", db.jdbcUrl(), "--families", "merge", "--format", "json");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        JsonNode findings = JSON.readTree(r.out()).get("findings");
        assertThat(findings.size()).as("findings: %s", titles(findings)).isEqualTo(1);
        JsonNode drift = single(findings, "generated-column-drift");
        assertThat(drift.get("severity").asText()).isEqualTo("HIGH");
        assertThat(drift.get("subject").get("kind").asText()).isEqualTo("generated-column");
        assertThat(drift.get("subject").get("name").asText()).isEqualTo("public.pfa_records.merged_category");
        assertThat(drift.get("evidence").get(0).get("content").asText()).startsWith(drifting + " of " + ROWS
                + " checked");
        assertThat(drift.get("fix").asText()).contains("ignores the delta");
    }

    private static PostgresAddress faulty(String prefix, String fault) throws Exception {
        PostgresAddress db = TestInfrastructure.copyOf(seeded, prefix);
        if (fault != null) {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                 Statement s = c.createStatement()) {
                s.execute(new String(FindingFloodIT.class.getResourceAsStream(fault).readAllBytes(),
                        StandardCharsets.UTF_8));
            }
        }
        return db;
    }

    private static long count(PostgresAddress db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static JsonNode single(JsonNode findings, String rule) {
        List<JsonNode> found = new ArrayList<>();
        findings.forEach(f -> {
            if (f.get("rule").asText().equals(rule)) {
                found.add(f);
            }
        });
        assertThat(found).as("findings of %s: %s", rule, titles(findings)).hasSize(1);
        return found.get(0);
    }

    private static List<String> titles(JsonNode findings) {
        List<String> out = new ArrayList<>();
        findings.forEach(f -> out.add(f.get("rule").asText() + ": " + f.get("title").asText()));
        return out;
    }

    private static List<String> labels(JsonNode evidence) {
        List<String> out = new ArrayList<>();
        evidence.forEach(e -> out.add(e.get("label").asText()));
        return out;
    }
}
