package dev.deltawatch.worker.target.seed;

/** Minimal JSON writing for generated documents: string literals escaped per RFC 8259. */
public final class JsonText {
    private JsonText() {}

    /** Appends {@code s} as a JSON string literal. */
    public static StringBuilder str(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** Appends {@code "key":} (the caller writes the value). */
    public static StringBuilder key(StringBuilder out, String key) {
        return str(out, key).append(':');
    }

    /** A UUID whose bits come from two random longs, marked version 4 / IETF variant. */
    public static java.util.UUID uuid(long hi, long lo) {
        return new java.util.UUID((hi & ~0xF000L) | 0x4000L, (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
    }
}
