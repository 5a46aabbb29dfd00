package dev.deltawatch.worker.target.seed;

import java.util.SplittableRandom;

/**
 * A generated delta: the local edits planners make over the synced mirror. Each delta has one to three of:
 * a forecast date shift, notes, explicit nulls (cleared fields), a replaced tag array, a category change, and a
 * nested cost override. These exercise every branch of the merge contract (deep objects, null overrides, array
 * replacement) at realistic rates.
 */
final class DeltaJson {
    private static final String[] CATEGORY_CHANGES = {"Cranes", "Excavators", "Trucks", "Generators", "Loaders"};

    private DeltaJson() {}

    static String build(SplittableRandom r, int start, int duration) {
        StringBuilder b = new StringBuilder(400);
        b.append('{');
        int kinds = 1 + r.nextInt(3);
        int mask = 0;
        while (Integer.bitCount(mask) < kinds) {
            mask |= 1 << pick(r);
        }
        boolean first = true;
        if ((mask & 1) != 0) {
            int shift = r.nextInt(120) - 30;
            first = sep(b, first);
            b.append("\"forecast\":{\"start\":\"").append(RecordGenerator.date(start + shift)).append("\",\"end\":\"")
                    .append(RecordGenerator.date(start + shift + duration + r.nextInt(60))).append("\"}");
        }
        if ((mask & 2) != 0) {
            first = sep(b, first);
            b.append("\"notes\":\"");
            MirrorJson.words(b, r, 5 + r.nextInt(25));
            b.append('"');
        }
        if ((mask & 4) != 0) {
            first = sep(b, first);
            b.append((mask & 32) != 0 || r.nextBoolean() ? "\"supplier\":{\"contact\":null}" : "\"costs\":{\"costCode\":null}");
        }
        if ((mask & 8) != 0) {
            first = sep(b, first);
            b.append("\"tags\":[\"").append(RecordGenerator.tag(r)).append("\",\"local-edit\"]");
        }
        if ((mask & 16) != 0) {
            first = sep(b, first);
            b.append("\"category\":\"").append(CATEGORY_CHANGES[r.nextInt(CATEGORY_CHANGES.length)]).append('"');
        }
        if ((mask & 32) != 0) {
            sep(b, first);
            b.append("\"costs\":{\"rate\":{\"monthly\":").append(MirrorJson.money(2_000 + r.nextInt(80_000)))
                    .append("}}");
        }
        return b.append('}').toString();
    }

    // Forecast shifts and notes dominate real edits; category changes are rare.
    private static int pick(SplittableRandom r) {
        int p = r.nextInt(100);
        if (p < 35) {
            return 0;
        } else if (p < 60) {
            return 1;
        } else if (p < 72) {
            return 2;
        } else if (p < 85) {
            return 3;
        } else if (p < 90) {
            return 4;
        }
        return 5;
    }

    private static boolean sep(StringBuilder b, boolean first) {
        if (!first) {
            b.append(',');
        }
        return false;
    }
}
