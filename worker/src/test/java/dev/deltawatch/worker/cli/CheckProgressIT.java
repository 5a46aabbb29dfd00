package dev.deltawatch.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.deltawatch.worker.check.Check;
import dev.deltawatch.worker.check.CheckRegistry;
import dev.deltawatch.worker.check.Checks;
import dev.deltawatch.worker.config.WorkerConfigDef;
import dev.deltawatch.worker.testing.CliRun;
import dev.deltawatch.worker.testing.TestInfrastructure;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A long {@code check} is not silent: standard error shows every check starting and ending, and each full pass; and
 * the plan audit runs alone, after everything else.
 */
class CheckProgressIT {

    @Test
    void standardErrorShowsEachCheckStartingAndEndingAndTheRecordsEachFullPassRead() throws Exception {
        try (HikariDataSource ds = TestInfrastructure.referenceTarget("check_progress")) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO pfa_records (organization_id, mirror_json, delta_json) SELECT 'RIO', "
                        + "jsonb_build_object('category', 'Cranes', 'qty', g), CASE WHEN g % 2 = 0 THEN "
                        + "jsonb_build_object('category', 'Trucks') END FROM generate_series(1, 300) g");
                s.execute("ANALYZE pfa_records");
            }
            long records;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM pfa_records")) {
                rs.next();
                records = rs.getLong(1);
            }
            CliRun r = CliRun.run("check", "--jdbc-url", ds.getJdbcUrl(), "--format", "json");
            assertThat(r.code()).as(r.err()).isZero();
            List<String> names;
            try (CheckRegistry all = Checks.forFamilies(new LinkedHashSet<>(WorkerConfigDef.FAMILIES))) {
                names = all.all().stream().map(Check::name).toList();
            }
            List<String> lines = r.err().lines().toList();
            for (String name : names) {
                int start = lines.indexOf("check: " + name + " started");
                assertThat(start).as("start line of %s in%n%s", name, r.err()).isNotNegative();
                assertThat(lines.subList(start, lines.size()))
                        .as("end line of %s after its start", name)
                        .anyMatch(l -> l.matches("check: " + java.util.regex.Pattern.quote(name)
                                + " (PASSED|FAILED|SKIPPED|ERROR) in \\d+\\.\\d s.*"));
            }
            // One full pass over the records, shared by the differential and the generated-column checks.
            // The lock probes' rows may be read too (they run alongside): at least the seeded records.
            List<String> read = lines.stream().filter(l -> l.matches("check: merge\\.differential read [0-9,]+ records in "
                    + "\\d+\\.\\d s")).toList();
            assertThat(read).as("the pass's records-done line in%n%s", r.err()).singleElement()
                    .satisfies(l -> assertThat(Long.parseLong(l.split(" ")[3].replace(",", ""))).isGreaterThanOrEqualTo(records));
            assertThat(lines).noneMatch(l -> l.startsWith("check: merge.generated-column read "));
            // The plan audit, whose verdicts are durations, starts only once every other check has ended.
            int planStarts = lines.indexOf("check: plan.audit started");
            for (String name : names) {
                if (!name.equals("plan.audit")) {
                    assertThat(lines.subList(planStarts, lines.size())).as("%s ended before plan.audit started", name)
                            .noneMatch(l -> l.startsWith("check: " + name + " "));
                }
            }
            assertThat(r.out()).doesNotContain("check: ");
        }
    }
}
