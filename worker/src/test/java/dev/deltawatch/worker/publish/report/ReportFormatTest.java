package dev.deltawatch.worker.publish.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.CheckScope;
import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Subject;
import dev.deltawatch.contracts.Trigger;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.findings.FindingBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportFormatTest {
    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");

    private static CheckReport report() {
        Finding seqScan = new FindingBuilder("plan", "seq-scan", Severity.BLOCKER, "pfa", new Subject("query", "q1"))
                .title("Sequential scan on pfa_records").observedAt(AT)
                .evidence("EXPLAIN ANALYZE", "plan", "Seq Scan on pfa_records\n  Filter: (organization_id = 'HOLNG')")
                .problem("No index serves the filter.")
                .fix("CREATE INDEX CONCURRENTLY ON pfa_records (organization_id, merged_category);")
                .reproductionSql("EXPLAIN ANALYZE SELECT 1").build();
        Finding matrix = new FindingBuilder("lock", "isolation", Severity.MEDIUM, "pfa", new Subject("setting", "iso"))
                .title("Isolation <differs> & \u0000 odd").observedAt(AT)
                .evidence(Evidence.of("isolation matrix", "table",
                        "| anomaly | read committed | serializable |\n|---|---|---|\n| P4 | allowed | prevented |"))
                .build();
        CheckRun planRun = run("plan", "plan.seq-scan", CheckRun.Outcome.FAILED, 1, null);
        CheckRun lockRun = run("lock", "lock.isolation", CheckRun.Outcome.FAILED, 1, null);
        CheckRun mergeRun = run("merge", "merge.differential", CheckRun.Outcome.PASSED, 0, null);
        CheckRun errRun = run("edge", "edge.write-path", CheckRun.Outcome.ERROR, 0, "SQLSTATE 57014: canceling statement");
        return new CheckReport("pfa", AT, List.of(
                new CheckExecution(planRun, List.of(CheckResult.fail(seqScan))),
                new CheckExecution(lockRun, List.of(CheckResult.fail(matrix))),
                new CheckExecution(mergeRun, List.of(CheckResult.pass("merged-value", new Subject("record", "1")))),
                new CheckExecution(errRun, List.of())));
    }

    private static CheckRun run(String family, String check, CheckRun.Outcome outcome, int findings, String error) {
        return new CheckRun(1, check + "-run", family, check, "pfa", Trigger.manual(), CheckScope.all(), outcome, AT,
                12, findings, error);
    }

    @Test
    void blockerOrHighFailsThePipeline() {
        assertThat(report().failsPipeline()).isTrue();
    }

    @Test
    void anErrorRunMakesTheReportIncompleteAndASkipDoesNot() {
        assertThat(report().incomplete()).isTrue();
        CheckRun skipped = run("hygiene", "hygiene.connection-pooling", CheckRun.Outcome.SKIPPED, 0,
                "not applicable to scope RECORDS");
        CheckReport onlySkipped = new CheckReport("pfa", AT, List.of(new CheckExecution(skipped, List.of())));
        assertThat(onlySkipped.incomplete()).isFalse();
        assertThat(onlySkipped.notRun()).extracting(CheckRun::check).containsExactly("hygiene.connection-pooling");
    }

    @Test
    void textAndHtmlListChecksThatDidNotRunInTheirOwnSectionAboveTheFindings() {
        String text = ReportFormat.TEXT.render(report());
        assertThat(text).contains("Checks that did not run (1): INCOMPLETE")
                .contains("ERROR    edge.write-path: SQLSTATE 57014: canceling statement");
        assertThat(text.indexOf("Checks that did not run")).isLessThan(text.indexOf("BLOCKER: Sequential scan"));
        String html = ReportFormat.HTML.render(report());
        assertThat(html).contains("<h2>Checks that did not run (1)</h2>").contains("<b>Incomplete:</b>")
                .contains("<tr><td>edge.write-path</td><td>ERROR</td><td>SQLSTATE 57014: canceling statement</td></tr>");
        assertThat(html.indexOf("Checks that did not run")).isLessThan(html.indexOf("BLOCKER (1)"));
        assertThat(ReportFormat.JSON.render(report())).contains("\"incomplete\":true");
    }

    @Test
    void junitIsWellFormedXmlWithOneFailurePerFindingAndAnErrorPerBrokenCheck() throws Exception {
        String xml = ReportFormat.JUNIT.render(report());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(2);
        assertThat(doc.getElementsByTagName("error").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(4);
        assertThat(xml).contains("CREATE INDEX CONCURRENTLY");
    }

    @Test
    void htmlGroupsBySeverityRendersPlansAndTablesAndEscapes() {
        String html = ReportFormat.HTML.render(report());
        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("http://")
                .contains("<h2>BLOCKER (1)</h2>").contains("<h2>MEDIUM (1)</h2>")
                .contains("<pre>Seq Scan on pfa_records\n  Filter:")
                .contains("<th>anomaly</th>").contains("<td>prevented</td>")
                .contains("Isolation &lt;differs&gt; &amp;").doesNotContain("\u0000");
        assertThat(html.indexOf("BLOCKER (1)")).isLessThan(html.indexOf("MEDIUM (1)"));
    }

    @Test
    void textNamesFixAndCounts() {
        String text = ReportFormat.TEXT.render(report());
        assertThat(text).contains("BLOCKER: Sequential scan on pfa_records").contains("Fix: CREATE INDEX")
                .contains("1 BLOCKER, 0 HIGH, 1 MEDIUM, 0 LOW; 1 check(s) could not complete")
                .contains("SQLSTATE 57014");
    }

    @Test
    void jsonCarriesRunsAndFindingsAsContracts() throws Exception {
        var tree = Contracts.mapper().readTree(ReportFormat.JSON.render(report()));
        assertThat(tree.get("failsPipeline").asBoolean()).isTrue();
        assertThat(tree.get("runs")).hasSize(4);
        Finding first = Contracts.mapper().treeToValue(tree.get("findings").get(0), Finding.class);
        assertThat(first.severity()).isEqualTo(Severity.BLOCKER);
    }
}
