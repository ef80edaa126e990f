package dev.autoscaler.examples.demo;

import java.util.List;
import java.util.Locale;

/** Minimal inline SVG charts for the demo report: line charts over time and a histogram. No dependencies. */
final class SvgChart {
    private static final int W = 760;
    private static final int H = 240;
    private static final int LEFT = 60;
    private static final int RIGHT = 130;
    private static final int TOP = 12;
    private static final int BOTTOM = 32;

    /** One line of a chart. */
    record Series(String name, String color, double[] y) {
    }

    private SvgChart() {
    }

    /** Lines over a shared x axis (seconds). */
    static String lines(double[] x, List<Series> series, String yLabel) {
        double xMax = max(x, 1);
        double yMax = 1;
        for (Series s : series) {
            yMax = Math.max(yMax, max(s.y(), 1));
        }
        yMax = niceCeiling(yMax);
        StringBuilder svg = frame(xMax, yMax, yLabel, "seconds");
        int legend = 0;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < x.length && i < s.y().length; i++) {
                points.append(fmt(px(x[i], xMax))).append(',').append(fmt(py(s.y()[i], yMax))).append(' ');
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"1.8\" stroke=\"").append(s.color())
                    .append("\" points=\"").append(points).append("\"/>\n");
            int ly = TOP + 14 + 18 * legend++;
            svg.append("<rect x=\"").append(W - RIGHT + 10).append("\" y=\"").append(ly - 9)
                    .append("\" width=\"12\" height=\"4\" fill=\"").append(s.color()).append("\"/>")
                    .append("<text x=\"").append(W - RIGHT + 28).append("\" y=\"").append(ly - 3)
                    .append("\" font-size=\"12\">").append(Html.escape(s.name())).append("</text>\n");
        }
        return svg.append("</svg>").toString();
    }

    /** A histogram of values in {@code bins} equal bins from 0 to the maximum. */
    static String histogram(double[] values, int bins, String xLabel) {
        double xMax = niceCeiling(Math.max(max(values, 0), 0.1));
        int[] counts = new int[bins];
        for (double v : values) {
            counts[Math.min(bins - 1, (int) (v / xMax * bins))]++;
        }
        int cMax = 1;
        for (int c : counts) {
            cMax = Math.max(cMax, c);
        }
        StringBuilder svg = frame(xMax, niceCeiling(cMax), "requests", xLabel);
        double yMax = niceCeiling(cMax);
        double bw = (W - LEFT - RIGHT) / (double) bins;
        for (int i = 0; i < bins; i++) {
            double top = py(counts[i], yMax);
            svg.append("<rect fill=\"#4a7ebb\" x=\"").append(fmt(LEFT + i * bw + 1)).append("\" y=\"").append(fmt(top))
                    .append("\" width=\"").append(fmt(Math.max(1, bw - 2))).append("\" height=\"")
                    .append(fmt(H - BOTTOM - top)).append("\"><title>").append(counts[i]).append("</title></rect>\n");
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder frame(double xMax, double yMax, String yLabel, String xLabel) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" font-family=\"sans-serif\">\n");
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(H - BOTTOM).append("\" x2=\"")
                .append(W - RIGHT).append("\" y2=\"").append(H - BOTTOM).append("\" stroke=\"#333\"/>\n");
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
                .append("\" y2=\"").append(H - BOTTOM).append("\" stroke=\"#333\"/>\n");
        for (int i = 0; i <= 4; i++) {
            double yv = yMax * i / 4;
            double y = py(yv, yMax);
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"")
                    .append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\" stroke=\"#ddd\"/>")
                    .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4))
                    .append("\" font-size=\"11\" text-anchor=\"end\">").append(short_(yv)).append("</text>\n");
            double xv = xMax * i / 4;
            svg.append("<text x=\"").append(fmt(px(xv, xMax))).append("\" y=\"").append(H - BOTTOM + 14)
                    .append("\" font-size=\"11\" text-anchor=\"middle\">").append(short_(xv)).append("</text>\n");
        }
        svg.append("<text x=\"").append((LEFT + W - RIGHT) / 2).append("\" y=\"").append(H - 4)
                .append("\" font-size=\"11\" text-anchor=\"middle\">").append(Html.escape(xLabel)).append("</text>\n");
        svg.append("<text x=\"12\" y=\"").append(TOP + (H - TOP - BOTTOM) / 2).append("\" font-size=\"11\" ")
                .append("transform=\"rotate(-90 12 ").append(TOP + (H - TOP - BOTTOM) / 2)
                .append(")\" text-anchor=\"middle\">").append(Html.escape(yLabel)).append("</text>\n");
        return svg;
    }

    private static double px(double x, double xMax) {
        return LEFT + (W - LEFT - RIGHT) * x / xMax;
    }

    private static double py(double y, double yMax) {
        return H - BOTTOM - (H - TOP - BOTTOM) * y / yMax;
    }

    private static double max(double[] v, double floor) {
        double m = floor;
        for (double d : v) {
            if (Double.isFinite(d)) {
                m = Math.max(m, d);
            }
        }
        return m;
    }

    /** 1, 2 or 5 times a power of ten, at or above v. */
    static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String short_(double v) {
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
