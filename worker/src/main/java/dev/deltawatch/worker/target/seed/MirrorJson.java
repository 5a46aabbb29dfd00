package dev.deltawatch.worker.target.seed;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The mirror document of a generated PFA record, written straight into a StringBuilder (no object tree: the
 * generator must keep up with two COPY streams on two cores). Shape follows an upstream PEMS export: identity,
 * category, forecast window, nested cost blocks, tags, site, supplier, a short history; actualized records add
 * actual dates and billing data. About 2 KB on average.
 */
final class MirrorJson {
    private MirrorJson() {}

    static String build(SplittableRandom r, long id, String org, String[] category, boolean actualized, int start,
                        int duration) {
        StringBuilder b = new StringBuilder(2400);
        b.append("{\"pfaId\":\"PFA-").append(org).append('-').append(id).append('"');
        b.append(",\"category\":\"").append(category[0]).append('"');
        b.append(",\"equipmentClass\":\"").append(category[1]).append('"');
        b.append(",\"description\":\"").append(category[0]).append(' ');
        words(b, r, 6 + r.nextInt(8));
        b.append('"');
        b.append(",\"status\":\"").append(actualized ? "ACTUALIZED" : "FORECAST").append('"');
        b.append(",\"quantity\":").append(1 + r.nextInt(12));
        b.append(",\"forecast\":{\"start\":\"").append(RecordGenerator.date(start))
                .append("\",\"end\":\"").append(RecordGenerator.date(start + duration))
                .append("\",\"durationDays\":").append(duration).append('}');
        if (actualized) {
            int slip = r.nextInt(60) - 20;
            b.append(",\"actual\":{\"start\":\"").append(RecordGenerator.date(start + slip))
                    .append("\",\"end\":\"").append(RecordGenerator.date(start + slip + duration + r.nextInt(30)))
                    .append("\"}");
        }
        costs(b, r, duration);
        if (actualized) {
            billing(b, r, id);
        }
        b.append(",\"tags\":[");
        int tags = 1 + r.nextInt(5);
        for (int i = 0; i < tags; i++) {
            b.append(i == 0 ? "\"" : ",\"").append(RecordGenerator.tag(r)).append('"');
        }
        b.append(']');
        site(b, r);
        supplier(b, r);
        history(b, r, start);
        specs(b, r);
        b.append(",\"notes\":\"");
        words(b, r, 20 + r.nextInt(80));
        b.append("\"}");
        return b.toString();
    }

    private static void costs(StringBuilder b, SplittableRandom r, int duration) {
        double monthly = 2_000 + r.nextInt(80_000) + r.nextInt(100) / 100.0;
        String currency = RecordGenerator.currency(r);
        b.append(",\"costs\":{\"rate\":{\"monthly\":").append(money(monthly)).append(",\"daily\":")
                .append(money(monthly / 30)).append(",\"currency\":\"").append(currency).append("\"}");
        b.append(",\"forecastTotal\":").append(money(monthly * duration / 30));
        b.append(",\"breakdown\":{\"rental\":").append(money(monthly * 0.6)).append(",\"fuel\":")
                .append(money(monthly * (0.1 + r.nextDouble() * 0.1))).append(",\"maintenance\":")
                .append(money(monthly * 0.08)).append(",\"operator\":").append(money(monthly * 0.15))
                .append(",\"mobilisation\":").append(money(r.nextInt(20_000))).append('}');
        b.append(",\"costCode\":\"CC-").append(1000 + r.nextInt(9000)).append("\"}");
    }

    private static void billing(StringBuilder b, SplittableRandom r, long id) {
        b.append(",\"billing\":{\"invoiceNumber\":\"INV-").append(id).append('-').append(r.nextInt(1000))
                .append("\",\"billedAmount\":").append(money(1_000 + r.nextInt(500_000)))
                .append(",\"currency\":\"").append(RecordGenerator.currency(r)).append("\",\"paid\":")
                .append(r.nextBoolean()).append(",\"lines\":[");
        int lines = 1 + r.nextInt(4);
        for (int i = 0; i < lines; i++) {
            b.append(i == 0 ? "" : ",").append("{\"item\":\"").append(RecordGenerator.word(r))
                    .append("\",\"amount\":").append(money(100 + r.nextInt(50_000))).append('}');
        }
        b.append("]}");
    }

    private static void site(StringBuilder b, SplittableRandom r) {
        b.append(",\"site\":{\"area\":\"").append(RecordGenerator.word(r)).append(' ').append(RecordGenerator.word(r))
                .append("\",\"zone\":\"Z").append(r.nextInt(40)).append("\",\"coordinates\":{\"lat\":")
                .append(String.format(Locale.ROOT, "%.5f", r.nextDouble() * 120 - 60)).append(",\"lon\":")
                .append(String.format(Locale.ROOT, "%.5f", r.nextDouble() * 360 - 180)).append("}}");
    }

    private static void supplier(StringBuilder b, SplittableRandom r) {
        int n = r.nextInt(1000);
        b.append(",\"supplier\":{\"name\":\"").append(RecordGenerator.supplier(r))
                .append("\",\"contract\":\"CT-").append(n).append("\",\"contact\":{\"email\":\"desk")
                .append(n).append("@supplier.example\",\"phone\":\"+61 8 9").append(100_000 + r.nextInt(899_999))
                .append("\"}}");
    }

    private static void history(StringBuilder b, SplittableRandom r, int start) {
        b.append(",\"history\":[");
        int events = 1 + r.nextInt(4);
        for (int i = 0; i < events; i++) {
            b.append(i == 0 ? "" : ",").append("{\"at\":\"").append(RecordGenerator.date(start - 200 + i * 30))
                    .append("\",\"event\":\"").append(RecordGenerator.word(r)).append("\",\"comment\":\"");
            words(b, r, 3 + r.nextInt(8));
            b.append("\",\"by\":\"pems\"}");
        }
        b.append(']');
    }

    private static void specs(StringBuilder b, SplittableRandom r) {
        b.append(",\"specs\":{\"make\":\"").append(RecordGenerator.supplier(r)).append("\",\"model\":\"M")
                .append(100 + r.nextInt(900)).append("\",\"year\":").append(2005 + r.nextInt(20))
                .append(",\"capacityTonnes\":").append(r.nextInt(400)).append(",\"powerKw\":")
                .append(50 + r.nextInt(2_000)).append(",\"serial\":\"SN").append(r.nextLong() & 0xFFFFFFFFFFL)
                .append("\",\"hoursMeter\":").append(r.nextInt(60_000)).append(",\"fuelType\":\"")
                .append(r.nextBoolean() ? "diesel" : "electric").append("\"}");
        b.append(",\"compliance\":{\"inspectedOn\":\"").append(RecordGenerator.date(r.nextInt(3_000)))
                .append("\",\"certificates\":[");
        int certs = 1 + r.nextInt(3);
        for (int i = 0; i < certs; i++) {
            b.append(i == 0 ? "" : ",").append("{\"type\":\"").append(RecordGenerator.word(r))
                    .append("\",\"number\":\"C-").append(r.nextInt(1_000_000)).append("\",\"expires\":\"")
                    .append(RecordGenerator.date(r.nextInt(RecordGenerator.DAYS))).append("\"}");
        }
        b.append("]}");
    }

    static void words(StringBuilder b, SplittableRandom r, int n) {
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(RecordGenerator.word(r));
        }
    }

    static String money(double v) {
        long cents = Math.round(v * 100);
        return (cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + (cents % 100);
    }
}
