package dev.deltawatch.worker.findings;

import dev.deltawatch.contracts.Evidence;
import dev.deltawatch.contracts.Finding;
import dev.deltawatch.contracts.FindingStatus;
import dev.deltawatch.contracts.Severity;
import dev.deltawatch.contracts.Trigger;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a finding as a chat message in the DBRE report style: severity marker and title; subject; evidence
 * (plan excerpt, JSON diff, probe outcomes); Problem; Fix; Expected improvement; reproduction SQL.
 *
 * <p>The result is always shorter than {@link #LIMIT} characters, whatever the evidence size: the fixed
 * sections are capped first, evidence shares what is left, and anything cut says so. Code fences inside
 * content are defused so a payload cannot break the message's layout.
 */
public final class MarkdownRenderer {
    /** Chat platforms cut or reject longer messages (Slack's section text limit is 3,000; ours leaves room). */
    public static final int LIMIT = 3500;
    private static final int TITLE_CHARS = 200;
    private static final int TEXT_CHARS = 500;
    private static final int SQL_CHARS = 600;
    private static final int MIN_EVIDENCE_CHARS = 120;
    /** A backtick preceded by two more: the third of a fence. */
    private static final java.util.regex.Pattern FENCE = java.util.regex.Pattern.compile("(?<=``)`");

    public String render(Finding f) {
        String head = header(f);
        List<String> tail = new ArrayList<>();
        section(tail, "❌ **Problem:** ", f.problem(), TEXT_CHARS);
        code(tail, "✅ **Fix:**", f.fix(), "sql", SQL_CHARS);
        section(tail, "📊 **Expected improvement:** ", f.expectedImprovement(), TEXT_CHARS);
        code(tail, "🔁 **Reproduce:**", f.reproductionSql(), "sql", SQL_CHARS);
        tail.add("`" + f.fingerprint() + "`");
        String footer = String.join("\n\n", tail);
        int budget = LIMIT - 1 - head.length() - footer.length() - 4;
        String evidence = evidence(f.evidence(), budget);
        String md = evidence.isEmpty() ? head + "\n\n" + footer : head + "\n\n" + evidence + "\n\n" + footer;
        // The caps above make this unreachable in practice; it is the guarantee the contract relies on.
        return md.length() < LIMIT ? md : closeFences(cut(md, LIMIT - 40)) + "\n… (message truncated)";
    }

    static String marker(Severity s) {
        return switch (s) {
            case BLOCKER -> "🔴";
            case HIGH -> "🟠";
            case MEDIUM -> "🟡";
            case LOW -> "🔵";
        };
    }

    private static String header(Finding f) {
        StringBuilder b = new StringBuilder();
        b.append(statusPrefix(f.status())).append(marker(f.severity())).append(" **").append(f.severity())
                .append(":** ").append(defuse(oneLine(cut(f.title(), TITLE_CHARS))));
        b.append("\n\n**").append(capitalize(f.subject().kind())).append(":** `")
                .append(defuse(oneLine(cut(f.subject().name(), TITLE_CHARS)))).append("` · target `")
                .append(defuse(oneLine(cut(f.target(), 80)))).append("` · rule `").append(f.family()).append('/')
                .append(defuse(oneLine(cut(f.rule(), 80)))).append('`');
        b.append("\n**Seen:** first ").append(f.firstSeen()).append(", last ").append(f.lastSeen()).append(", ")
                .append(f.occurrences()).append(f.occurrences() == 1 ? " time" : " times");
        String trigger = trigger(f.trigger());
        if (!trigger.isEmpty()) {
            b.append("\n**Trigger:** ").append(trigger);
        }
        return b.toString();
    }

    private static String statusPrefix(FindingStatus status) {
        return switch (status) {
            case OPENED -> "";
            case UPDATED -> "🔄 UPDATED · ";
            case RESOLVED -> "✅ RESOLVED · ";
            case REGRESSED -> "↩️ REGRESSED · ";
        };
    }

    private static String trigger(Trigger t) {
        if (t == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(t.reason().name());
        if (t.ddlCommand() != null) {
            b.append(" `").append(defuse(oneLine(cut(t.ddlCommand(), 160)))).append('`');
        }
        if (t.lsn() != null) {
            b.append(" · LSN ").append(defuse(cut(t.lsn(), 40)));
        }
        if (t.txId() != null) {
            b.append(" · tx ").append(t.txId());
        }
        return b.toString();
    }

    /** Evidence blocks sharing {@code budget} characters; an item that does not fit is cut with a note. */
    private static String evidence(List<Evidence> items, int budget) {
        List<String> blocks = new ArrayList<>();
        int left = budget;
        for (int i = 0; i < items.size(); i++) {
            int share = Math.max(left / (items.size() - i), 0);
            if (share < MIN_EVIDENCE_CHARS) {
                blocks.add("_… " + (items.size() - i) + " more evidence item(s) omitted; see the finding's "
                        + "evidence on deltawatch.findings._");
                break;
            }
            String block = block(items.get(i), share);
            blocks.add(block);
            left -= block.length() + 2;
        }
        return String.join("\n\n", blocks);
    }

    private static String block(Evidence e, int share) {
        String heading = "**" + defuse(oneLine(cut(e.label(), 80))) + "**\n```" + fenceLanguage(e.format()) + "\n";
        String close = "\n```";
        String content = defuse(e.content());
        String note = "";
        int room = share - heading.length() - close.length();
        boolean cutHere = content.length() > room;
        if (cutHere || e.truncated()) {
            int shown = cutHere ? Math.max(room - 90, 0) : content.length();
            note = "\n_… truncated: showing " + "%,d".formatted(shown) + " of " + "%,d".formatted(e.content().length())
                    + (e.truncated() ? "+" : "") + " characters._";
            content = cut(content, shown);
        }
        return heading + content + close + note;
    }

    private static String fenceLanguage(String format) {
        return switch (format) {
            case "json", "sql" -> format;
            default -> "";
        };
    }

    private static void section(List<String> out, String heading, String text, int max) {
        if (text != null && !text.isBlank()) {
            out.add(heading + defuse(cut(text.strip(), max)));
        }
    }

    private static void code(List<String> out, String heading, String text, String lang, int max) {
        if (text != null && !text.isBlank()) {
            out.add(heading + "\n```" + lang + "\n" + defuse(cut(text.strip(), max)) + "\n```");
        }
    }

    /** Appends a closing fence when a cut left one open. */
    private static String closeFences(String md) {
        return (md.split("```", -1).length % 2 == 0) ? md + "\n```" : md;
    }

    /** A code fence inside content would end our block early; a zero-width space keeps it visible but inert. */
    static String defuse(String s) {
        return FENCE.matcher(s).replaceAll("\u200b`");
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** At most {@code max} chars, never splitting a surrogate pair; "…" marks a cut. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Math.max(max - 1, 0);
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
