package dev.autoscaler.examples.demo;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Minimal inline SVG charts for the demo report: line charts over time and a cumulative distribution
 * on a logarithmic axis. Axes go in round steps (1, 2 or 5 times a power of ten; decades on a log
 * axis), and each chart has one unit, named on its axis. No dependencies.
 */
final class SvgChart {
    private static final int W = 760;
    private static final int H = 260;
    private static final int LEFT = 64;
    private static final int RIGHT = 150;
    private static final int TOP = 12;
    private static final int BOTTOM = 36;

    /** One line of a chart. */
    record Series(String name, String color, double[] y) {
    }

    /** A linear axis from {@code min} to {@code max} in steps of {@code step}, all round. */
    record Axis(double min, double max, double step) {
        /** The smallest round axis holding [lo, hi] in at most about {@code parts} steps. */
        static Axis around(double lo, double hi, int parts) {
            double span = Math.max(hi - lo, 1e-9);
            double step = niceStep(span / parts);
            double min = Math.floor(lo / step + 1e-9) * step;
            double max = Math.ceil(hi / step - 1e-9) * step;
            if (max <= min) {
                max = min + step;
            }
            return new Axis(min, max, step);
        }

        double[] ticks() {
            int n = (int) Math.round((max - min) / step);
            double[] t = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                t[i] = min + i * step;
            }
            return t;
        }
    }

    private SvgChart() {
    }

    /** Lines over a shared x axis; {@code xLabel} and {@code yLabel} name the axes with their units. */
    static String lines(double[] x, List<Series> series, String xLabel, String yLabel) {
        double xLo = Arrays.stream(x).min().orElse(0);
        double xHi = Arrays.stream(x).max().orElse(1);
        double yHi = 1;
        for (Series s : series) {
            for (double v : s.y()) {
                if (Double.isFinite(v)) {
                    yHi = Math.max(yHi, v);
                }
            }
        }
        Axis xa = Axis.around(Math.min(xLo, 0), xHi, 8);
        Axis ya = Axis.around(0, yHi, 5);
        StringBuilder svg = open(yLabel);
        for (double v : ya.ticks()) {
            double y = py(v, ya);
            svg.append(line(LEFT, y, W - RIGHT, y, "#e5e5e5", null))
                    .append(text(LEFT - 6, y + 4, "end", label(v, ya.step())));
        }
        for (double v : xa.ticks()) {
            double xp = px(v, xa);
            svg.append(line(xp, H - BOTTOM, xp, H - BOTTOM + 4, "#333", null))
                    .append(text(xp, H - BOTTOM + 16, "middle", label(v, xa.step())));
        }
        if (xa.min() < 0) {
            double zero = px(0, xa);
            svg.append(line(zero, TOP, zero, H - BOTTOM, "#999", "4 3"))
                    .append(text(zero + 4, TOP + 10, "start", "trace starts"));
        }
        axes(svg, xLabel);
        int legend = 0;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < x.length && i < s.y().length; i++) {
                points.append(fmt(px(x[i], xa))).append(',').append(fmt(py(s.y()[i], ya))).append(' ');
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"1.8\" stroke=\"").append(s.color())
                    .append("\" points=\"").append(points.toString().trim()).append("\"/>\n");
            legend(svg, legend++, s.name(), s.color(), false);
        }
        return svg.append("</svg>").toString();
    }

    /**
     * The cumulative distribution of {@code values} (seconds) on a log axis in decades, so that the
     * tail shows: y is the percentage of values at or below x. Values below the axis's first decade
     * sit on it. A dashed vertical line marks {@code slo} (seconds), named {@code sloName}.
     */
    static String cdf(double[] values, double slo, String sloName, String xLabel) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double hi = sorted.length == 0 ? 1 : Math.max(sorted[sorted.length - 1], slo);
        int minDecade = -3;
        int maxDecade = Math.max(minDecade + 1, (int) Math.ceil(Math.log10(Math.max(hi, 1e-3)) - 1e-9));
        Axis ya = new Axis(0, 100, 20);
        StringBuilder svg = open("% of served requests (at or below)");
        for (double v : ya.ticks()) {
            double y = py(v, ya);
            svg.append(line(LEFT, y, W - RIGHT, y, "#e5e5e5", null)).append(text(LEFT - 6, y + 4, "end", label(v, 20)));
        }
        for (int d = minDecade; d <= maxDecade; d++) {
            double xp = logX(Math.pow(10, d), minDecade, maxDecade);
            svg.append(line(xp, TOP, xp, H - BOTTOM, "#e5e5e5", null))
                    .append(line(xp, H - BOTTOM, xp, H - BOTTOM + 4, "#333", null))
                    .append(text(xp, H - BOTTOM + 16, "middle", decade(d)));
        }
        axes(svg, xLabel);
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < sorted.length; i++) {
            // a step per distinct value: the last one of a run of equal values carries the run's height
            if (i + 1 < sorted.length && sorted[i + 1] == sorted[i]) {
                continue;
            }
            double x = logX(Math.max(sorted[i], Math.pow(10, minDecade)), minDecade, maxDecade);
            points.append(fmt(x)).append(',').append(fmt(py(100.0 * (i + 1) / sorted.length, ya))).append(' ');
        }
        if (sorted.length > 0) {
            points.append(fmt(W - RIGHT)).append(',').append(fmt(py(100, ya)));
        }
        svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"#2a7ab9\" points=\"")
                .append(points.toString().trim()).append("\"/>\n");
        legend(svg, 0, "served requests", "#2a7ab9", false);
        double sloX = logX(Math.max(slo, Math.pow(10, minDecade)), minDecade, maxDecade);
        svg.append(line(sloX, TOP, sloX, H - BOTTOM, "#d9534f", "5 4"));
        legend(svg, 1, sloName, "#d9534f", true);
        return svg.append("</svg>").toString();
    }

    private static double logX(double v, int minDecade, int maxDecade) {
        return LEFT + (W - LEFT - RIGHT) * (Math.log10(v) - minDecade) / (maxDecade - minDecade);
    }

    /** 10^d as written: 0.001, 0.01, 0.1, 1, 10, 100 (no floating-point noise). */
    private static String decade(int d) {
        return d >= 0 ? "1" + "0".repeat(d) : "0." + "0".repeat(-d - 1) + "1";
    }

    private static StringBuilder open(String yLabel) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" font-family=\"sans-serif\">\n");
        int mid = TOP + (H - TOP - BOTTOM) / 2;
        svg.append("<text x=\"14\" y=\"").append(mid).append("\" font-size=\"11\" transform=\"rotate(-90 14 ")
                .append(mid).append(")\" text-anchor=\"middle\">").append(Html.escape(yLabel)).append("</text>\n");
        return svg;
    }

    private static void axes(StringBuilder svg, String xLabel) {
        svg.append(line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, "#333", null))
                .append(line(LEFT, TOP, LEFT, H - BOTTOM, "#333", null))
                .append(text((LEFT + W - RIGHT) / 2.0, H - 4, "middle", xLabel));
    }

    private static void legend(StringBuilder svg, int index, String name, String color, boolean dashed) {
        int ly = TOP + 14 + 18 * index;
        svg.append(line(W - RIGHT + 10, ly - 6, W - RIGHT + 24, ly - 6, color, dashed ? "4 3" : null)
                .replace("stroke-width=\"1\"", "stroke-width=\"3\""))
                .append("<text x=\"").append(W - RIGHT + 30).append("\" y=\"").append(ly - 2)
                .append("\" font-size=\"12\">").append(Html.escape(name)).append("</text>\n");
    }

    private static String line(double x1, double y1, double x2, double y2, String color, String dash) {
        return "<line x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2)
                + "\" stroke=\"" + color + "\" stroke-width=\"1\"" + (dash == null ? "" : " stroke-dasharray=\"" + dash + "\"")
                + "/>\n";
    }

    private static String text(double x, double y, String anchor, String s) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" font-size=\"11\" text-anchor=\"" + anchor + "\">"
                + Html.escape(s) + "</text>\n";
    }

    private static double px(double x, Axis a) {
        return LEFT + (W - LEFT - RIGHT) * (x - a.min()) / (a.max() - a.min());
    }

    private static double py(double y, Axis a) {
        return H - BOTTOM - (H - TOP - BOTTOM) * (y - a.min()) / (a.max() - a.min());
    }

    /** 1, 2 or 5 times a power of ten, at or above v. */
    static double niceStep(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v * (1 - 1e-9)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** A tick label: as many decimals as the step needs, thousands separated. */
    static String label(double v, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        String s = String.format(Locale.ROOT, "%,." + decimals + "f", v);
        return s.equals("-0") ? "0" : s;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
