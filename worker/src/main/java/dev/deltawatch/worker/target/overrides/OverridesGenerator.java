package dev.deltawatch.worker.target.overrides;

import static dev.deltawatch.worker.target.seed.JsonText.key;
import static dev.deltawatch.worker.target.seed.JsonText.str;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Generates content pages and their overrides. A page and its override depend only on (seed, page index); page ids
 * depend on the index alone ({@code UUID.nameUUIDFromBytes("content-page-<n>")}), so registered queries can name
 * pages whatever the seed. Thread-safe (no mutable state).
 *
 * <p>Declared distributions: sources cms-www 50%, cms-docs 25%, cms-blog 20%, partner-feed 5%; 6 locales and 8
 * sections, uniform; {@value #OVERRIDE_SHARE} of the pages have an override, which sets one to three fields the
 * editors touch: a new title, a nested SEO description (deep merge), the hero hidden ({@code "hero": null}
 * deletes it), the navigation order (nested), a campaign banner (a new key), the content blocks replaced (array),
 * or the summary removed.
 */
public final class OverridesGenerator {
    public static final double OVERRIDE_SHARE = 0.35;
    public static final String[] LOCALES = {"en-GB", "en-US", "de-DE", "fr-FR", "es-ES", "ja-JP"};
    public static final String[] SECTIONS = {"products", "support", "pricing", "about", "news", "careers", "legal",
        "guides"};
    private static final String[] WORDS = ("install configure upgrade backup restore secure monitor scale migrate "
            + "integrate export import billing account team project release network storage update").split(" ");
    private static final String[] AUTHORS = {"a.khan", "b.moreau", "c.schmidt", "d.tanaka", "e.garcia", "f.osei"};
    private static final long EPOCH_2024 = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
    private static final long EPOCH_2025 = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond();
    private static final int YEAR_SECONDS = 365 * 86_400;

    private final long seed;

    public OverridesGenerator(long seed) {
        this.seed = seed;
    }

    /** A page as the feed sync writes it. */
    public record Page(UUID id, String source, String slug, String content, Instant syncedAt) {}

    /** The override of a page; {@code updatedAt} is the version token (microsecond precision, as stored). */
    public record Override(UUID pageId, String patch, Instant updatedAt, String updatedBy) {}

    /** The id of the page at {@code index} (0-based): the same for every seed. */
    public static UUID pageId(long index) {
        return UUID.nameUUIDFromBytes(("content-page-" + (index + 1)).getBytes(StandardCharsets.UTF_8));
    }

    public Page page(long index) {
        SplittableRandom r = new SplittableRandom(mix(seed, 2 * index));
        double u = r.nextDouble();
        String source = u < 0.50 ? "cms-www" : u < 0.75 ? "cms-docs" : u < 0.95 ? "cms-blog" : "partner-feed";
        String locale = LOCALES[r.nextInt(LOCALES.length)];
        String section = SECTIONS[r.nextInt(SECTIONS.length)];
        String slug = section + "/page-" + (index + 1);
        String title = capitalized(words(r, 3 + r.nextInt(5)));
        StringBuilder b = new StringBuilder(900).append('{');
        key(b, "title"); str(b, title).append(',');
        key(b, "locale"); str(b, locale).append(',');
        key(b, "section"); str(b, section).append(',');
        key(b, "summary"); str(b, capitalized(words(r, 12 + r.nextInt(12))) + ".").append(',');
        key(b, "hero").append('{');
        key(b, "image"); str(b, "/media/" + section + "/" + (index + 1) + ".jpg").append(',');
        key(b, "alt"); str(b, words(r, 4)).append("},");
        key(b, "seo").append('{');
        key(b, "title"); str(b, title + " | Example").append(',');
        key(b, "description"); str(b, capitalized(words(r, 15)) + ".").append(',');
        key(b, "canonical"); str(b, "https://www.example.com/" + locale.toLowerCase(Locale.ROOT) + "/" + slug)
                .append("},");
        key(b, "nav").append('{');
        key(b, "order").append(r.nextInt(100)).append(',');
        key(b, "parent"); str(b, section).append("},");
        key(b, "blocks"); blocks(b, r, 2 + r.nextInt(4)).append(',');
        key(b, "author"); str(b, AUTHORS[r.nextInt(AUTHORS.length)]).append(',');
        key(b, "published_at"); str(b, Instant.ofEpochSecond(EPOCH_2024 + r.nextInt(YEAR_SECONDS)).toString());
        b.append('}');
        return new Page(pageId(index), source, slug, b.toString(),
                Instant.ofEpochSecond(EPOCH_2025 + r.nextInt(30 * 86_400)));
    }

    /** The override of the page at {@code index}, or null when the page has none. */
    public Override override(long index) {
        SplittableRandom r = new SplittableRandom(mix(seed, 2 * index + 1));
        if (r.nextDouble() >= OVERRIDE_SHARE) {
            return null;
        }
        int fields = 1 + r.nextInt(3);
        boolean[] used = new boolean[7];
        StringBuilder b = new StringBuilder(200).append('{');
        for (int i = 0; i < fields; i++) {
            int f = r.nextInt(used.length);
            if (used[f]) {
                continue;
            }
            used[f] = true;
            if (b.length() > 1) {
                b.append(',');
            }
            switch (f) {
                case 0 -> { key(b, "title"); str(b, capitalized(words(r, 3 + r.nextInt(4)))); }
                case 1 -> { key(b, "seo").append('{'); key(b, "description");
                    str(b, capitalized(words(r, 12)) + ".").append('}'); }
                case 2 -> key(b, "hero").append("null");
                case 3 -> { key(b, "nav").append('{'); key(b, "order").append(r.nextInt(100)).append('}'); }
                case 4 -> { key(b, "banner").append('{'); key(b, "text");
                    str(b, "Spring campaign: " + words(r, 3)).append(','); key(b, "until");
                    str(b, "2025-0" + (4 + r.nextInt(5)) + "-30").append('}'); }
                case 5 -> { key(b, "blocks"); blocks(b, r, 1 + r.nextInt(2)); }
                default -> key(b, "summary").append("null");
            }
        }
        b.append('}');
        // Microseconds, as timestamptz stores them: the token read back equals the one generated.
        Instant at = Instant.ofEpochSecond(EPOCH_2025 + 31 * 86_400 + r.nextInt(90 * 86_400), r.nextInt(1_000_000) * 1_000L);
        return new Override(pageId(index), b.toString(), at, "editor-" + (1 + r.nextInt(12)));
    }

    private static StringBuilder blocks(StringBuilder b, SplittableRandom r, int n) {
        b.append('[');
        for (int i = 0; i < n; i++) {
            b.append('{');
            key(b, "type"); str(b, i == 0 ? "heading" : "paragraph").append(',');
            key(b, "text"); str(b, capitalized(words(r, i == 0 ? 4 : 25 + r.nextInt(20)))).append('}');
            b.append(i + 1 < n ? "," : "");
        }
        return b.append(']');
    }

    private static String words(SplittableRandom r, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return s.toString();
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // SplitMix64 finalizer over (seed, stream): neighbouring streams are unrelated.
    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
