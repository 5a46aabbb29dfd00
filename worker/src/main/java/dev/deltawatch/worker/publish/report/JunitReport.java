package dev.deltawatch.worker.publish.report;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.worker.check.CheckExecution;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JUnit XML, the format CI systems understand: one test suite per family, one test case per check that passed,
 * one failing test case per finding (so each problem shows on its own line), and an error case per check that
 * could not complete.
 */
final class JunitReport {
    private JunitReport() {}

    static String render(CheckReport report) {
        Map<String, StringBuilder> suites = new LinkedHashMap<>();
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (CheckExecution e : report.executions()) {
            CheckRun run = e.run();
            StringBuilder sb = suites.computeIfAbsent(run.family(), k -> new StringBuilder());
            int[] c = counts.computeIfAbsent(run.family(), k -> new int[3]);
            double seconds = run.durationMs() / 1000.0;
            List<Finding> findings = e.findings();
            if (run.outcome() == CheckRun.Outcome.ERROR) {
                c[0]++;
                c[2]++;
                sb.append("    <testcase classname=\"").append(x(run.family())).append("\" name=\"")
                        .append(x(run.check())).append("\" time=\"").append(seconds).append("\">\n")
                        .append("      <error message=\"").append(x(run.error())).append("\"/>\n    </testcase>\n");
            } else if (findings.isEmpty()) {
                c[0]++;
                sb.append("    <testcase classname=\"").append(x(run.family())).append("\" name=\"")
                        .append(x(run.check())).append("\" time=\"").append(seconds).append("\"")
                        .append(run.outcome() == CheckRun.Outcome.SKIPPED ? "><skipped/></testcase>\n" : "/>\n");
            } else {
                for (Finding f : findings) {
                    c[0]++;
                    c[1]++;
                    sb.append("    <testcase classname=\"").append(x(run.family())).append("\" name=\"")
                            .append(x(run.check() + " " + f.subject())).append("\" time=\"").append(seconds)
                            .append("\">\n      <failure type=\"").append(f.severity()).append("\" message=\"")
                            .append(x(f.severity() + ": " + f.title())).append("\">")
                            .append(x(TextReport.render(new CheckReport(report.target(), report.startedAt(),
                                    List.of(new CheckExecution(run, List.of(
                                            dev.deltawatch.worker.check.CheckResult.fail(f))))))))
                            .append("</failure>\n    </testcase>\n");
                }
            }
        }
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"deltawatch\">\n");
        suites.forEach((family, body) -> {
            int[] c = counts.get(family);
            out.append("  <testsuite name=\"deltawatch.").append(x(family)).append("\" tests=\"").append(c[0])
                    .append("\" failures=\"").append(c[1]).append("\" errors=\"").append(c[2]).append("\">\n")
                    .append(body).append("  </testsuite>\n");
        });
        return out.append("</testsuites>\n").toString();
    }

    /** XML-escapes text, dropping characters XML 1.0 cannot carry (e.g. U+0000 from adversarial payloads). */
    static String x(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                            || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000) {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.toString();
    }
}
