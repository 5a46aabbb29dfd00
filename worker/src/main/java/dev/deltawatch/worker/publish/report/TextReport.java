package dev.deltawatch.worker.publish.report;

import dev.deltawatch.contracts.CheckRun;
import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.Severity;

/** A plain-text report in the DBRE style: severity, title, evidence, problem, fix, reproduction. */
final class TextReport {
    private static final int EVIDENCE_LINES = 25;

    private TextReport() {}

    static String render(CheckReport report) {
        StringBuilder sb = new StringBuilder();
        sb.append("deltawatch check on ").append(report.target()).append('\n');
        for (CheckRun run : report.executions().stream().map(e -> e.run()).toList()) {
            sb.append(String.format("  %-8s %-34s %6d ms  %s%n", run.outcome(), run.check(), run.durationMs(),
                    run.error() == null ? (run.findingCount() == 0 ? "" : run.findingCount() + " finding(s)")
                            : run.error()));
        }
        sb.append('\n');
        notRun(sb, report);
        for (Finding f : report.findings()) {
            sb.append(marker(f.severity())).append(' ').append(f.severity()).append(": ").append(f.title())
                    .append("\n  subject: ").append(f.subject()).append("   rule: ").append(f.family()).append('/')
                    .append(f.rule()).append('\n');
            for (Evidence e : f.evidence()) {
                sb.append("  ").append(e.label()).append(":\n");
                e.content().lines().limit(EVIDENCE_LINES).forEach(l -> sb.append("    ").append(l).append('\n'));
                if (e.content().lines().count() > EVIDENCE_LINES || e.truncated()) {
                    sb.append("    (truncated)\n");
                }
            }
            line(sb, "Problem", f.problem());
            line(sb, "Fix", f.fix());
            line(sb, "Expected improvement", f.expectedImprovement());
            line(sb, "Reproduce", f.reproductionSql());
            sb.append('\n');
        }
        report.appendix().forEach((title, table) -> sb.append(title).append(":\n").append(table).append("\n\n"));
        sb.append(String.format("%d BLOCKER, %d HIGH, %d MEDIUM, %d LOW; %d check(s) could not complete%n",
                report.count(Severity.BLOCKER), report.count(Severity.HIGH), report.count(Severity.MEDIUM),
                report.count(Severity.LOW), report.errors().size()));
        return sb.toString();
    }

    /** Checks that did not run get their own section, above the findings: an ERROR leaves the verdict incomplete. */
    private static void notRun(StringBuilder sb, CheckReport report) {
        if (report.notRun().isEmpty()) {
            return;
        }
        sb.append("Checks that did not run (").append(report.notRun().size()).append(')');
        if (report.incomplete()) {
            sb.append(": INCOMPLETE, ").append(report.errors().size())
                    .append(" check(s) could not run; their questions are unanswered");
        }
        sb.append('\n');
        for (CheckRun run : report.notRun()) {
            sb.append(String.format("  %-8s %s: %s%n", run.outcome(), run.check(), run.error()));
        }
        sb.append('\n');
    }

    private static void line(StringBuilder sb, String label, String value) {
        if (value != null && !value.isBlank()) {
            sb.append("  ").append(label).append(": ").append(value.replace("\n", "\n    ")).append('\n');
        }
    }

    static String marker(Severity s) {
        return switch (s) {
            case BLOCKER -> "[X]";
            case HIGH -> "[!]";
            case MEDIUM -> "[~]";
            case LOW -> "[.]";
        };
    }
}
