package dev.deltawatch.worker.publish.report;

import static dev.deltawatch.worker.publish.report.JunitReport.x;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;
import java.util.List;

/**
 * One self-contained HTML page (no scripts, no network): findings grouped by severity, plans as indented trees
 * in monospace, evidence in the {@code table} format (pipe-separated rows, e.g. the isolation matrix) as tables,
 * and every check run with its outcome.
 */
final class HtmlReport {
    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:1100px;color:#1d2330}
            h1{font-size:1.4em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
            .f{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;padding:.6em 1em;margin:1em 0}
            .BLOCKER{border-left-color:#c0392b}.HIGH{border-left-color:#e67e22}.MEDIUM{border-left-color:#f1c40f}
            .LOW{border-left-color:#7f8c8d}pre{background:#f6f8fa;padding:.6em;overflow-x:auto;white-space:pre}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}
            .muted{color:#666}""";

    private HtmlReport() {}

    static String render(CheckReport report) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>deltawatch check: ").append(x(report.target())).append("</title><style>")
                .append(STYLE).append("</style></head><body>\n<h1>deltawatch check: ").append(x(report.target()))
                .append("</h1>\n<p class=\"muted\">started ").append(report.startedAt()).append(" &middot; ")
                .append(report.count(Severity.BLOCKER)).append(" BLOCKER, ").append(report.count(Severity.HIGH))
                .append(" HIGH, ").append(report.count(Severity.MEDIUM)).append(" MEDIUM, ")
                .append(report.count(Severity.LOW)).append(" LOW</p>\n");
        notRun(sb, report);
        for (Severity s : Severity.values()) {
            List<Finding> group = report.findings().stream().filter(f -> f.severity() == s).toList();
            if (group.isEmpty()) {
                continue;
            }
            sb.append("<h2>").append(s).append(" (").append(group.size()).append(")</h2>\n");
            group.forEach(f -> finding(sb, f));
        }
        report.appendix().forEach((title, table) -> {
            sb.append("<h2>").append(x(title)).append("</h2>\n");
            table(sb, table);
        });
        sb.append("<h2>Check runs</h2>\n<table><tr><th>check</th><th>outcome</th><th>ms</th><th>findings</th>")
                .append("<th>note</th></tr>\n");
        for (CheckRun r : report.executions().stream().map(e -> e.run()).toList()) {
            sb.append("<tr><td>").append(x(r.check())).append("</td><td>").append(r.outcome()).append("</td><td>")
                    .append(r.durationMs()).append("</td><td>").append(r.findingCount()).append("</td><td>")
                    .append(x(r.error())).append("</td></tr>\n");
        }
        return sb.append("</table>\n</body></html>\n").toString();
    }

    /** Checks that did not run, in their own section above the findings: an ERROR leaves the verdict incomplete. */
    private static void notRun(StringBuilder sb, CheckReport report) {
        List<CheckRun> runs = report.notRun();
        if (runs.isEmpty()) {
            return;
        }
        sb.append("<h2>Checks that did not run (").append(runs.size()).append(")</h2>\n");
        if (report.incomplete()) {
            sb.append("<div class=\"f BLOCKER\"><p><b>Incomplete:</b> ").append(report.errors().size())
                    .append(" check(s) could not run; their questions are unanswered, so the absence of findings "
                            + "from them proves nothing.</p></div>\n");
        }
        sb.append("<table><tr><th>check</th><th>outcome</th><th>reason</th></tr>\n");
        for (CheckRun r : runs) {
            sb.append("<tr><td>").append(x(r.check())).append("</td><td>").append(r.outcome()).append("</td><td>")
                    .append(x(r.error())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static void finding(StringBuilder sb, Finding f) {
        sb.append("<div class=\"f ").append(f.severity()).append("\"><h3>").append(f.severity()).append(": ")
                .append(x(f.title())).append("</h3>\n<p class=\"muted\">").append(x(f.subject().toString()))
                .append(" &middot; ").append(x(f.family() + "/" + f.rule())).append("</p>\n");
        for (Evidence e : f.evidence()) {
            sb.append("<h4>").append(x(e.label())).append("</h4>\n");
            if ("table".equals(e.format())) {
                table(sb, e.content());
            } else {
                sb.append("<pre>").append(x(e.content())).append("</pre>\n");
            }
            if (e.truncated()) {
                sb.append("<p class=\"muted\">(truncated)</p>\n");
            }
        }
        para(sb, "Problem", f.problem());
        if (f.fix() != null) {
            sb.append("<p><b>Fix</b></p><pre>").append(x(f.fix())).append("</pre>\n");
        }
        para(sb, "Expected improvement", f.expectedImprovement());
        if (f.reproductionSql() != null) {
            sb.append("<p><b>Reproduce</b></p><pre>").append(x(f.reproductionSql())).append("</pre>\n");
        }
        sb.append("</div>\n");
    }

    /** Renders pipe-separated rows ({@code | a | b |}); separator rows of dashes are skipped; row 1 is the header. */
    static void table(StringBuilder sb, String content) {
        sb.append("<table>\n");
        boolean header = true;
        for (String line : content.lines().toList()) {
            String t = line.trim();
            if (!t.startsWith("|") || t.replaceAll("[|\\-: ]", "").isEmpty()) {
                continue;
            }
            String[] cells = t.substring(1, t.endsWith("|") ? t.length() - 1 : t.length()).split("\\|", -1);
            sb.append("<tr>");
            for (String c : cells) {
                sb.append(header ? "<th>" : "<td>").append(x(c.trim())).append(header ? "</th>" : "</td>");
            }
            sb.append("</tr>\n");
            header = false;
        }
        sb.append("</table>\n");
    }

    private static void para(StringBuilder sb, String label, String value) {
        if (value != null && !value.isBlank()) {
            sb.append("<p><b>").append(label).append(":</b> ").append(x(value)).append("</p>\n");
        }
    }
}
