package dev.deltawatch.contracts;

/**
 * One piece of proof attached to a finding: a plan, a JSON diff, probe outcomes, figures.
 *
 * @param label     short heading, e.g. "EXPLAIN ANALYZE" or "first differing path"
 * @param format    how to render {@code content}: {@code text}, {@code plan}, {@code json}, {@code sql}, {@code table}
 * @param content   the evidence itself
 * @param truncated true when {@code content} was cut to keep messages within limits
 */
public record Evidence(String label, String format, String content, boolean truncated) {
    public Evidence {
        Require.text(label, "evidence.label");
        Require.text(format, "evidence.format");
        Require.present(content, "evidence.content");
    }

    public static Evidence text(String label, String content) {
        return new Evidence(label, "text", content, false);
    }

    public static Evidence of(String label, String format, String content) {
        return new Evidence(label, format, content, false);
    }
}
