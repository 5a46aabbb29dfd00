package dev.deltawatch.worker.target.drafts;

import static dev.deltawatch.worker.target.seed.JsonText.key;
import static dev.deltawatch.worker.target.seed.JsonText.str;

import dev.deltawatch.worker.target.seed.JsonText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Generates catalog items and their drafts. An item and its drafts depend only on (seed, item index): each has its
 * own random stream, so the data is the same whatever order the rows are written in, and an append continues the
 * sequence. Thread-safe (no mutable state).
 *
 * <p>Declared distributions: 12 categories and 10 brands, uniform; {@value #DRAFT_SHARE} of the items have
 * drafts; of those, 55% have one author, 25% two and 20% three to five (distinct authors from
 * {@value #AUTHORS}, skewed towards the busiest); a draft changes one to three top-level fields (title, price,
 * tags, status, description, a promo badge set or nulled, attributes) and has been saved 1 to 6 times (version).
 */
public final class DraftsGenerator {
    public static final double DRAFT_SHARE = 0.4;
    public static final int AUTHORS = 60;
    /** The categories of the drafts target's reference data (V2). */
    public static final String[] CATEGORIES = {"Laptops", "Monitors", "Keyboards", "Headphones", "Speakers",
        "Cameras", "Lenses", "Phones", "Tablets", "Smartwatches", "Routers", "Printers"};
    public static final String[] BRANDS = {"Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Adatum",
        "Proseware", "Wingtip", "Woodgrove", "Lucerne"};
    private static final String[] MODELS = {"Pro", "Air", "Max", "Lite", "Plus", "Studio", "Go", "Ultra", "Mini", "X"};
    private static final String[] COLORS = {"black", "silver", "white", "graphite", "blue", "red", "green"};
    private static final String[] TAGS = {"new", "bestseller", "eco", "refurbished", "limited", "bundle",
        "clearance", "b2b", "gift", "staff-pick"};
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};
    private static final String[] WAREHOUSES = {"eu-central", "eu-west", "us-east", "us-west", "ap-south"};
    private static final String[] WORDS = ("fast quiet bright compact rugged wireless premium everyday portable "
            + "durable sleek powerful efficient modular ergonomic crisp balanced reliable versatile smart").split(" ");
    private static final long EPOCH_2024 = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
    private static final int YEAR_SECONDS = 365 * 86_400;

    private final long seed;

    public DraftsGenerator(long seed) {
        this.seed = seed;
    }

    /** A catalog item as the PIM sync writes it. */
    public record Item(String sku, String body, Instant syncedAt) {}

    /** One author's draft of an item. */
    public record Draft(UUID id, String author, String sku, String changes, int version, Instant createdAt,
                        Instant updatedAt) {}

    /** The SKU of the item at {@code index} (0-based): SKU-0000001 for index 0. */
    public static String sku(long index) {
        return String.format(Locale.ROOT, "SKU-%07d", index + 1);
    }

    public static String author(int n) {
        return String.format(Locale.ROOT, "merch-%03d", n);
    }

    public Item item(long index) {
        SplittableRandom r = new SplittableRandom(mix(seed, 2 * index));
        String sku = sku(index);
        String category = CATEGORIES[r.nextInt(CATEGORIES.length)];
        String brand = BRANDS[r.nextInt(BRANDS.length)];
        StringBuilder b = new StringBuilder(700).append('{');
        key(b, "sku"); str(b, sku).append(',');
        key(b, "title"); str(b, brand + " " + singular(category) + " " + MODELS[r.nextInt(MODELS.length)] + " "
                + (2 + r.nextInt(30))).append(',');
        key(b, "brand"); str(b, brand).append(',');
        key(b, "category"); str(b, category).append(',');
        key(b, "price"); price(b, r).append(',');
        key(b, "status"); str(b, r.nextInt(20) == 0 ? "discontinued" : "active").append(',');
        key(b, "attributes"); attributes(b, r).append(',');
        key(b, "tags"); tags(b, r).append(',');
        key(b, "stock").append('{');
        for (int w = 0; w < WAREHOUSES.length; w++) {
            key(b, WAREHOUSES[w]).append(r.nextInt(4) == 0 ? 0 : r.nextInt(500)).append(w + 1 < WAREHOUSES.length
                    ? "," : "");
        }
        b.append("},");
        key(b, "description"); str(b, sentence(r, 20 + r.nextInt(30))).append(',');
        key(b, "pim_revision").append(1 + r.nextInt(40));
        b.append('}');
        return new Item(sku, b.toString(), Instant.ofEpochSecond(EPOCH_2024 + r.nextInt(YEAR_SECONDS)));
    }

    /** The drafts of the item at {@code index}: empty for most items, one per distinct author otherwise. */
    public List<Draft> drafts(long index) {
        SplittableRandom r = new SplittableRandom(mix(seed, 2 * index + 1));
        if (r.nextDouble() >= DRAFT_SHARE) {
            return List.of();
        }
        double u = r.nextDouble();
        int authors = u < 0.55 ? 1 : u < 0.80 ? 2 : 3 + r.nextInt(3);
        List<Integer> chosen = new ArrayList<>();
        while (chosen.size() < authors) {
            // Skewed: low author numbers (the busiest merchandisers) are drawn far more often.
            int a = 1 + r.nextInt(1 + r.nextInt(AUTHORS));
            if (!chosen.contains(a)) {
                chosen.add(a);
            }
        }
        List<Draft> out = new ArrayList<>(authors);
        for (int a : chosen) {
            long created = EPOCH_2024 + YEAR_SECONDS + r.nextInt(180 * 86_400);
            int version = 1 + r.nextInt(6);
            long updated = version == 1 ? created : created + r.nextInt(20 * 86_400);
            out.add(new Draft(JsonText.uuid(r.nextLong(), r.nextLong()), author(a), sku(index), changes(r), version,
                    Instant.ofEpochSecond(created), Instant.ofEpochSecond(updated)));
        }
        return out;
    }

    /** A draft's changes: one to three top-level fields, as the drafts editor saves them. */
    static String changes(SplittableRandom r) {
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
                case 0 -> { key(b, "title"); str(b, capitalized(sentence(r, 3 + r.nextInt(4)))); }
                case 1 -> { key(b, "price"); price(b, r); }
                case 2 -> { key(b, "tags"); tags(b, r); }
                case 3 -> { key(b, "status"); str(b, r.nextBoolean() ? "discontinued" : "preorder"); }
                case 4 -> { key(b, "description"); str(b, sentence(r, 15 + r.nextInt(25))); }
                case 5 -> {
                    key(b, "promo_badge");
                    if (r.nextBoolean()) {
                        b.append("null");   // the editor clears a badge with an explicit JSON null
                    } else {
                        str(b, "Sale -" + (5 * (1 + r.nextInt(8))) + "%");
                    }
                }
                default -> { key(b, "attributes"); attributes(b, r); }
            }
        }
        return b.append('}').toString();
    }

    private static StringBuilder price(StringBuilder b, SplittableRandom r) {
        b.append('{');
        key(b, "amount").append(String.format(Locale.ROOT, "%.2f", 9.99 + r.nextInt(300_000) / 100.0)).append(',');
        key(b, "currency");
        return str(b, CURRENCIES[r.nextInt(CURRENCIES.length)]).append('}');
    }

    private static StringBuilder attributes(StringBuilder b, SplittableRandom r) {
        b.append('{');
        key(b, "color"); str(b, COLORS[r.nextInt(COLORS.length)]).append(',');
        key(b, "weight_g").append(80 + r.nextInt(4_000)).append(',');
        key(b, "warranty_months").append(12 * (1 + r.nextInt(3)));
        return b.append('}');
    }

    private static StringBuilder tags(StringBuilder b, SplittableRandom r) {
        b.append('[');
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            str(b, TAGS[r.nextInt(TAGS.length)]).append(i + 1 < n ? "," : "");
        }
        return b.append(']');
    }

    private static String sentence(SplittableRandom r, int words) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < words; i++) {
            s.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return s.toString();
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String singular(String category) {
        return category.endsWith("ses") ? category.substring(0, category.length() - 2)
                : category.substring(0, category.length() - 1);
    }

    // SplitMix64 finalizer over (seed, stream): neighbouring streams are unrelated.
    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
