package dev.deltawatch.worker.discover;

import java.util.List;
import java.util.Locale;

/** Name heuristics: which identifiers read like a mirror, a delta or a version. Weak evidence, said so in notes. */
final class Words {
    private static final List<String> DELTA = List.of("delta", "patch", "override", "change", "edit", "local",
            "draft", "diff", "modif", "overlay", "user");
    private static final List<String> MIRROR = List.of("mirror", "base", "body", "content", "source", "upstream",
            "origin", "baseline", "data", "doc", "payload", "cache", "synced", "remote", "snapshot");
    private static final List<String> VERSION = List.of("version", "revision", "lock_version", "row_version", "etag",
            "rev", "ver");

    private Words() {}

    /** Positive when {@code name} reads like a delta, negative like a mirror, 0 when it says nothing. */
    static int deltaScore(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int score = 0;
        for (String w : DELTA) {
            if (n.contains(w)) {
                score++;
            }
        }
        for (String w : MIRROR) {
            if (n.contains(w)) {
                score--;
            }
        }
        return score;
    }

    static boolean version(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return VERSION.stream().anyMatch(w -> n.equals(w) || n.endsWith("_" + w) || n.startsWith(w + "_")
                || n.contains("version"));
    }
}
