package dev.deltawatch.worker.publish.report;

import dev.deltawatch.contracts.Contracts;
import dev.deltawatch.worker.check.CheckExecution;
import dev.deltawatch.worker.check.CheckResult;
import dev.deltawatch.worker.findings.Fingerprint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The output formats of {@code deltawatch check --format}. */
public enum ReportFormat {
    TEXT, JSON, JUNIT, HTML;

    public String render(CheckReport report) {
        return render(report, false);
    }

    /**
     * @param detailRecords add every per-record result under {@code records} (JSON only: the findings are one per
     *                      defect, this is the detail behind them)
     */
    public String render(CheckReport report, boolean detailRecords) {
        if (detailRecords && this != JSON) {
            throw new IllegalArgumentException("per-record detail is available in the json format only, not " + this);
        }
        return switch (this) {
            case TEXT -> TextReport.render(report);
            case JSON -> json(report, detailRecords);
            case JUNIT -> JunitReport.render(report);
            case HTML -> HtmlReport.render(report);
        };
    }

    private static String json(CheckReport report, boolean detailRecords) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", report.target());
        out.put("startedAt", report.startedAt());
        out.put("failsPipeline", report.failsPipeline());
        out.put("incomplete", report.incomplete());
        out.put("runs", report.executions().stream().map(e -> e.run()).toList());
        out.put("findings", report.findings());
        out.put("appendix", report.appendix());
        if (detailRecords) {
            out.put("records", records(report));
        }
        return Contracts.encodeToString(out);
    }

    /** Every result of every run: check, rule, subject, outcome, the defect it belongs to, its own finding. */
    private static List<Map<String, Object>> records(CheckReport report) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CheckExecution e : report.executions()) {
            for (CheckResult r : e.results()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("check", e.run().check());
                row.put("rule", r.rule());
                row.put("subject", r.subject());
                row.put("outcome", r.failed() ? "FAILED" : r.skipped() != null ? "SKIPPED" : "PASSED");
                if (r.skipped() != null) {
                    row.put("skipped", r.skipped());
                }
                if (r.defect() != null) {
                    row.put("defect", r.defect());
                    row.put("defectFingerprint", Fingerprint.of(e.run().family(), r.rule(), e.run().target(),
                            r.defect()));
                }
                if (r.failed()) {
                    row.put("finding", r.finding());
                }
                out.add(row);
            }
        }
        return out;
    }
}
