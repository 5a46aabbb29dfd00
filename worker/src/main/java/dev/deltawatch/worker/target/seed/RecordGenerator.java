package dev.deltawatch.worker.target.seed;

import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Generates reference-target PFA records, one row at a time, as COPY text lines. Each row depends only on
 * (seed, row index): its random stream is seeded from both, so the result is the same whatever the number of
 * threads or the order in which rows are produced. Thread-safe (no mutable state).
 *
 * <p>Declared distributions: organizations Zipf-skewed (s = 1) over the 10 reference organizations; 50% of records
 * carry a delta (those have version 2..6, the others 1); 20% are actualized (actual dates and billing data in the
 * mirror); forecast starts spread over 2020-2030; 15 categories; mirrors average about 2 KB of JSON.
 */
public final class RecordGenerator {
    /** The 10 organizations of the reference data (V2), most to least active. */
    public static final String[] ORGANIZATIONS = {"HOLNG", "RIO", "BHP", "FMG", "VALE", "ANGLO", "GLEN", "NEWM",
        "BARR", "TECK"};
    /** The 15 categories of the reference data (V2) with their equipment class. */
    static final String[][] CATEGORIES = {{"Cranes", "Lifting"}, {"Excavators", "Earthmoving"},
        {"Trucks", "Haulage"}, {"Generators", "Power"}, {"Scaffolding", "Access"}, {"Loaders", "Earthmoving"},
        {"Dozers", "Earthmoving"}, {"Graders", "Earthmoving"}, {"Compressors", "Power"},
        {"Light Towers", "Power"}, {"Forklifts", "Lifting"}, {"Pumps", "Fluids"}, {"Welders", "Fabrication"},
        {"Containers", "Site Services"}, {"Water Carts", "Haulage"}};
    public static final double DELTA_SHARE = 0.5;
    public static final double ACTUALIZED_SHARE = 0.2;
    static final double ZIPF_EXPONENT = 1.0;
    static final LocalDate FIRST_DAY = LocalDate.of(2020, 1, 1);
    static final int DAYS = (int) (LocalDate.of(2030, 12, 31).toEpochDay() - FIRST_DAY.toEpochDay());

    private static final double[] ORG_CUMULATIVE = zipfCumulative(ORGANIZATIONS.length, ZIPF_EXPONENT);
    private static final String[] WORDS = ("haul road pad north south east west pit crusher stockpile shift "
            + "maintenance overhaul rebuild standby hire dry wet lease operator fuel tyre bucket boom hydraulic "
            + "inspection certified rated spare engine drive camp workshop plant conveyor berm ramp bench").split(" ");
    private static final String[] TAGS = {"critical", "long-lead", "rental", "owned", "night-shift", "day-shift",
        "wet-season", "shutdown", "capex", "opex", "subcontract", "hse-review", "priority", "backup", "mobilised"};
    private static final String[] SUPPLIERS = {"Liebherr Hire", "Caterpillar Rental", "Komatsu Fleet",
        "Sandvik Services", "Atlas Copco", "Hitachi Mining", "Volvo CE", "Sunbelt", "Coates", "Kennards"};
    private static final String[] CURRENCIES = {"USD", "AUD", "EUR", "NGN", "BRL", "CLP", "ZAR", "CAD"};

    private final long seed;

    public RecordGenerator(long seed) {
        this.seed = seed;
    }

    /** One generated record; {@code delta} is null for records without local edits. */
    public record Row(long id, String organization, String mirror, String delta, int version, long updatedAtEpochSecond,
                      String updatedBy) {}

    /** The record at {@code index} (0-based position in this seed's sequence) with the given primary key. */
    public Row row(long index, long id) {
        SplittableRandom r = new SplittableRandom(mix(seed, index));
        String org = ORGANIZATIONS[zipf(r.nextDouble())];
        String[] category = CATEGORIES[r.nextInt(CATEGORIES.length)];
        boolean actualized = r.nextDouble() < ACTUALIZED_SHARE;
        boolean withDelta = r.nextDouble() < DELTA_SHARE;
        int start = r.nextInt(DAYS - 400);
        int duration = 14 + r.nextInt(380);
        String mirror = MirrorJson.build(r, id, org, category, actualized, start, duration);
        String delta = withDelta ? DeltaJson.build(r, start, duration) : null;
        int version = withDelta ? 2 + r.nextInt(5) : 1;
        long updatedAt = FIRST_DAY.toEpochDay() * 86_400L + (long) start * 86_400L + r.nextInt(86_400);
        String by = withDelta ? "planner" + r.nextInt(40) : "pems-sync";
        return new Row(id, org, mirror, delta, version, updatedAt, by);
    }

    /** A realistic delta patch (date shift, notes, nulls, array replacement...), as a planner's edit sends it. */
    public static String randomPatch(SplittableRandom r) {
        return DeltaJson.build(r, r.nextInt(DAYS - 400), 14 + r.nextInt(380));
    }

    /** Appends {@code row} as one line of PostgreSQL COPY text format (tab-separated, \N for NULL). */
    public static void appendCopyLine(StringBuilder out, Row row) {
        out.append(row.id()).append('\t').append(row.organization()).append('\t');
        appendEscaped(out, row.mirror());
        out.append('\t');
        if (row.delta() == null) {
            out.append("\\N");
        } else {
            appendEscaped(out, row.delta());
        }
        out.append('\t').append(row.version()).append('\t');
        out.append(java.time.Instant.ofEpochSecond(row.updatedAtEpochSecond())).append('\t');
        appendEscaped(out, row.updatedBy());
        out.append('\n');
    }

    /** The COPY column list matching {@link #appendCopyLine}. */
    public static final String COPY_COLUMNS = "(id, organization_id, mirror_json, delta_json, version, updated_at, "
            + "updated_by)";

    // COPY text format: backslash, tab, newline and carriage return must be escaped.
    private static void appendEscaped(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }

    static String word(SplittableRandom r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    static String tag(SplittableRandom r) {
        return TAGS[r.nextInt(TAGS.length)];
    }

    static String supplier(SplittableRandom r) {
        return SUPPLIERS[r.nextInt(SUPPLIERS.length)];
    }

    static String currency(SplittableRandom r) {
        return CURRENCIES[r.nextInt(CURRENCIES.length)];
    }

    static String date(int dayOffset) {
        return FIRST_DAY.plusDays(Math.max(0, dayOffset)).toString();
    }

    /** Expected share of each organization (Zipf weights), in {@link #ORGANIZATIONS} order. */
    public static double[] organizationShares() {
        double[] shares = new double[ORGANIZATIONS.length];
        double previous = 0;
        for (int i = 0; i < shares.length; i++) {
            shares[i] = ORG_CUMULATIVE[i] - previous;
            previous = ORG_CUMULATIVE[i];
        }
        return shares;
    }

    private static int zipf(double u) {
        for (int i = 0; i < ORG_CUMULATIVE.length; i++) {
            if (u < ORG_CUMULATIVE[i]) {
                return i;
            }
        }
        return ORG_CUMULATIVE.length - 1;
    }

    private static double[] zipfCumulative(int n, double s) {
        double[] c = new double[n];
        double total = 0;
        for (int k = 1; k <= n; k++) {
            total += 1 / Math.pow(k, s);
        }
        double acc = 0;
        for (int k = 1; k <= n; k++) {
            acc += 1 / Math.pow(k, s) / total;
            c[k - 1] = acc;
        }
        c[n - 1] = 1.0;
        return c;
    }

    // SplitMix64 finalizer over (seed, index): neighbouring indexes get unrelated streams.
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
