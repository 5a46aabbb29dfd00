package dev.deltawatch.worker.target.load;

import java.util.List;
import java.util.Locale;

/**
 * Minimal server-side SVG line charts: axes with a few ticks, one polyline per series, a legend. No script and
 * no external resource, so the report opens offline.
 */
final class Svg {
    static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#d62728", "#2ca02c", "#9467bd", "#8c564b"};
    private static final int W = 720;
    private static final int H = 300;
    private static final int L = 60;
    private static final int R = 150;
    private static final int T = 20;
    private static final int B = 40;

    /** One named line: x and y values of equal length. */
    record Series(String name, double[] x, double[] y) {}

    private Svg() {}

    /** A line chart; {@code logX} plots x as given but labels ticks with {@code xTickLabels}. */
    static String chart(String title, String xLabel, String yLabel, List<Series> series, double[] xTicks,
                        String[] xTickLabels) {
        double maxX = 1e-9;
        double minX = Double.MAX_VALUE;
        double maxY = 1e-9;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                maxX = Math.max(maxX, s.x()[i]);
                minX = Math.min(minX, s.x()[i]);
                maxY = Math.max(maxY, s.y()[i]);
            }
        }
        minX = minX == Double.MAX_VALUE ? 0 : Math.min(minX, 0);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">", W, H, W, H));
        b.append("<title>").append(escape(title)).append("</title>");
        int pw = W - L - R;
        int ph = H - T - B;
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" "
                + "stroke=\"#999\"/>", L, T, pw, ph));
        for (int i = 0; i <= 4; i++) {
            double v = maxY * i / 4;
            double y = T + ph - ph * i / 4.0;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", L, L + pw, y, y, L - 4, y + 4,
                    fmt(v)));
        }
        double span = Math.max(1e-9, maxX - minX);
        for (int i = 0; i < xTicks.length; i++) {
            double x = L + pw * (xTicks[i] - minX) / span;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x,
                    T + ph + 14, escape(xTickLabels[i])));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", L + pw / 2,
                H - 6, escape(xLabel)));
        b.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" "
                + "text-anchor=\"middle\">%s</text>", T + ph / 2, T + ph / 2, escape(yLabel)));
        for (int s = 0; s < series.size(); s++) {
            Series ser = series.get(s);
            String color = COLORS[s % COLORS.length];
            b.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(color).append("\" points=\"");
            for (int i = 0; i < ser.x().length; i++) {
                b.append(String.format(Locale.ROOT, "%.1f,%.1f ", L + pw * (ser.x()[i] - minX) / span,
                        T + ph - ph * ser.y()[i] / maxY));
            }
            b.append("\"/>");
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>", L + pw + 10, T + 4 + s * 16, color, L + pw + 24,
                    T + 13 + s * 16, escape(ser.name())));
        }
        return b.append("</svg>").toString();
    }

    static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
