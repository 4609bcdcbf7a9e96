package io.tfoagent.it.latency;

import java.util.List;
import java.util.Locale;

/**
 * A latency CDF as a hand-written SVG (no plotting dependency): a grid of panels, one line per
 * series (colour per client, solid with the agent, dashed without, black for curl), grey marks at
 * 1, 2 and 3 times the measured RTT.
 */
final class CdfSvg {
    private static final int PANEL_W = 560;
    private static final int PANEL_H = 330;
    private static final int LEFT = 55;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 45;
    private static final int HEADER = 88;

    /** One line: its samples in milliseconds (any order). */
    record Series(String label, String color, boolean dashed, double[] millis) {}

    record Panel(String title, double rttMillis, List<Series> series) {}

    /** A legend entry: a colour and a dash, with what they mean. */
    record Legend(String label, String color, boolean dashed) {}

    private CdfSvg() {}

    static String render(String title, List<Panel> panels, int columns, List<Legend> legend) {
        int rows = (panels.size() + columns - 1) / columns;
        int width = columns * PANEL_W;
        int height = HEADER + rows * PANEL_H;
        StringBuilder svg = new StringBuilder();
        svg.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
        svg.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(f("<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", escape(title)));
        int x = 10;
        int y = 42;
        for (Legend entry : legend) {
            int span = 45 + 7 * entry.label().length();
            if (x + span > width - 10) { // wrap
                x = 10;
                y += 18;
            }
            svg.append(f("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"%s/>%n",
                    x, y, x + 28, y, entry.color(), entry.dashed() ? " stroke-dasharray=\"6,4\"" : ""));
            svg.append(f("<text x=\"%d\" y=\"%d\">%s</text>%n", x + 33, y + 4, escape(entry.label())));
            x += span;
        }
        svg.append(f("<text x=\"10\" y=\"%d\" fill=\"#555\">x: per-request latency, fresh connection, connect to last "
                + "response byte (ms); y: fraction of requests at or below. Grey: 1, 2, 3 x measured RTT.</text>%n", y + 22));
        for (int i = 0; i < panels.size(); i++) {
            panel(svg, panels.get(i), (i % columns) * PANEL_W, HEADER + (i / columns) * PANEL_H);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void panel(StringBuilder svg, Panel panel, int ox, int oy) {
        double rtt = panel.rttMillis();
        double min = rtt;
        double max = 3 * rtt;
        for (Series s : panel.series()) {
            for (double v : s.millis()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        max = Math.min(max, 4 * rtt + 25); // a rare stall must not squash the rest
        min = Math.max(0, min - 0.05 * (max - min));
        max = max + 0.03 * (max - min);
        double w = PANEL_W - LEFT - RIGHT;
        double h = PANEL_H - TOP - BOTTOM;
        double x0 = ox + LEFT;
        double y0 = oy + TOP;
        svg.append(f("<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" font-weight=\"bold\">%s</text>%n", x0, y0 - 12,
                escape(panel.title())));
        svg.append(f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#999\"/>%n",
                x0, y0, w, h));
        for (int q = 0; q <= 4; q++) {
            double y = y0 + h - q / 4.0 * h;
            svg.append(f("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>%n", x0, y, x0 + w, y));
            svg.append(f("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n", x0 - 5, y + 4, q / 4.0));
        }
        double step = niceStep((max - min) / 8);
        for (double t = Math.ceil(min / step) * step; t <= max; t += step) {
            double x = x0 + (t - min) / (max - min) * w;
            svg.append(f("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>%n", x, y0 + h, x, y0 + h + 4));
            svg.append(f("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n", x, y0 + h + 16,
                    step >= 1 ? f("%.0f", t) : f("%.1f", t)));
        }
        svg.append(f("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">ms</text>%n", x0 + w / 2, y0 + h + 32));
        for (int k = 1; k <= 3; k++) {
            double v = k * rtt;
            if (v < min || v > max) {
                continue;
            }
            double x = x0 + (v - min) / (max - min) * w;
            svg.append(f("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\" stroke-width=\"3\" "
                    + "opacity=\"0.6\"/>%n", x, y0, x, y0 + h));
            svg.append(f("<text x=\"%.1f\" y=\"%.1f\" fill=\"#888\">%dxRTT</text>%n", x + 3, y0 + 12, k));
        }
        for (Series s : panel.series()) {
            double[] sorted = s.millis().clone();
            java.util.Arrays.sort(sorted);
            if (sorted.length == 0) {
                continue;
            }
            StringBuilder points = new StringBuilder();
            double prevY = y0 + h;
            for (int i = 0; i < sorted.length; i++) {
                double v = Math.min(Math.max(sorted[i], min), max);
                double x = x0 + (v - min) / (max - min) * w;
                double y = y0 + h - (i + 1.0) / sorted.length * h;
                points.append(f("%.1f,%.1f %.1f,%.1f ", x, prevY, x, y));
                prevY = y;
            }
            svg.append(f("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s points=\"%s\"><title>%s</title>"
                    + "</polyline>%n", s.color(), s.dashed() ? " stroke-dasharray=\"6,4\"" : "", points.toString().trim(),
                    escape(s.label())));
        }
    }

    private static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
