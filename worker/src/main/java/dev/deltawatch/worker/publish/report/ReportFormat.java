package dev.deltawatch.worker.publish.report;

import dev.deltawatch.contracts.Contracts;
import java.util.LinkedHashMap;
import java.util.Map;

/** The output formats of {@code deltawatch check --format}. */
public enum ReportFormat {
    TEXT, JSON, JUNIT, HTML;

    public String render(CheckReport report) {
        return switch (this) {
            case TEXT -> TextReport.render(report);
            case JSON -> json(report);
            case JUNIT -> JunitReport.render(report);
            case HTML -> HtmlReport.render(report);
        };
    }

    private static String json(CheckReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", report.target());
        out.put("startedAt", report.startedAt());
        out.put("failsPipeline", report.failsPipeline());
        out.put("incomplete", report.incomplete());
        out.put("runs", report.executions().stream().map(e -> e.run()).toList());
        out.put("findings", report.findings());
        out.put("appendix", report.appendix());
        return Contracts.encodeToString(out);
    }
}
