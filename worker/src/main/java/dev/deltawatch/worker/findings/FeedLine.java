package dev.deltawatch.worker.findings;

import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;

/** One finding as one terminal line for {@code deltawatch findings tail}; ANSI colour only when asked. */
public final class FeedLine {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";

    private FeedLine() {}

    public static String format(Finding f, boolean colour) {
        String status = String.format("%-9s", f.status());
        String severity = String.format("%-7s", f.severity());
        if (colour) {
            status = colourOf(f.status()) + status + RESET;
            severity = BOLD + severity + RESET;
        }
        return String.join("  ", f.lastSeen().toString(), status,
                MarkdownRenderer.marker(f.severity()) + " " + severity, f.family() + "/" + f.rule(),
                f.subject().toString(), oneLine(f.title()) + " (x" + f.occurrences() + ")",
                "[" + f.fingerprint().substring(0, Math.min(12, f.fingerprint().length())) + "]");
    }

    private static String colourOf(FindingStatus s) {
        return switch (s) {
            case OPENED -> "\u001b[31m";
            case UPDATED -> "\u001b[33m";
            case RESOLVED -> "\u001b[32m";
            case REGRESSED -> "\u001b[35m";
        };
    }

    private static String oneLine(String s) {
        String line = s.replace('\n', ' ').replace('\r', ' ').replace('\u001b', ' ');
        return line.length() > 160 ? line.substring(0, 159) + "…" : line;
    }
}
