package dev.rabbitworks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes the results: a table on the console, results.md, results.json and results.svg. */
final class Report {

    private Report() {
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        double abs = Math.abs(value);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String markdown(List<Row> rows) {
        StringBuilder table = new StringBuilder();
        table.append("| scenario | metric | baseline | baseline figure | ours | ratio (ours/baseline) | target | met |\n");
        table.append("|---|---|---|---:|---:|---:|---|---|\n");
        for (Row row : rows) {
            Boolean met = row.met();
            table.append("| ").append(row.scenario()).append(" | ").append(row.metric()).append(" (").append(row.unit())
                    .append(") | ").append(row.baselineName()).append(" | ").append(number(row.baseline()))
                    .append(" | ").append(number(row.ours())).append(" | ")
                    .append(row.baselineName().equals("target") ? "—" : number(row.ratio())).append(" | ")
                    .append(row.targetText()).append(" | ")
                    .append(met == null ? "—" : met ? "yes" : "**no**").append(" |\n");
        }
        return table.toString();
    }

    static String console(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        String format = "%-34s %-28s %-18s %12s %12s %8s %-10s %s%n";
        out.append(String.format(Locale.ROOT, format, "scenario", "metric", "baseline", "baseline", "ours", "ratio",
                "target", "met"));
        for (Row row : rows) {
            Boolean met = row.met();
            out.append(String.format(Locale.ROOT, format, row.scenario(), row.metric() + " (" + row.unit() + ")",
                    row.baselineName(), number(row.baseline()), number(row.ours()),
                    row.baselineName().equals("target") ? "—" : number(row.ratio()), row.targetText(),
                    met == null ? "—" : met ? "yes" : "NO"));
        }
        return out.toString();
    }

    static void write(Path dir, List<Row> rows, Map<String, Object> run) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.set("run", json.valueToTree(run));
        ArrayNode array = root.putArray("results");
        for (Row row : rows) {
            ObjectNode node = array.addObject();
            node.put("scenario", row.scenario());
            node.put("metric", row.metric());
            node.put("unit", row.unit());
            node.put("baseline", row.baselineName());
            putNumber(node, "baselineValue", row.baseline());
            putNumber(node, "ours", row.ours());
            putNumber(node, "ratio", row.baselineName().equals("target") ? Double.NaN : row.ratio());
            node.put("target", row.targetText());
            Boolean met = row.met();
            if (met == null) {
                node.putNull("met");
            } else {
                node.put("met", met);
            }
            node.put("note", row.note());
        }
        Files.writeString(dir.resolve("results.json"), json.writeValueAsString(root) + "\n");
        StringBuilder md = new StringBuilder("# Benchmark results\n\n");
        md.append("Run: ").append(run.get("finished")).append(", ").append(run.get("machine")).append(".\n\n");
        md.append(markdown(rows)).append('\n');
        for (Row row : rows) {
            if (row.note() != null && !row.note().isBlank()) {
                md.append("- ").append(row.scenario()).append(", ").append(row.metric()).append(": ")
                        .append(row.note()).append('\n');
            }
        }
        Files.writeString(dir.resolve("results.md"), md.toString());
        Files.writeString(dir.resolve("results.svg"), svg(rows, String.valueOf(run.get("finished"))));
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, Math.round(value * 1000) / 1000.0);
        }
    }

    /**
     * A horizontal bar per row with a target: the ratio (ours / baseline, or ours / bound for footprint rows,
     * where lower is better), a tick at the target, green when met, red when not.
     */
    static String svg(List<Row> rows, String subtitle) {
        List<Row> charted = rows.stream().filter(Row::hasTarget).toList();
        int barHeight = 22;
        int gap = 8;
        int left = 390;
        int plotWidth = 430;
        int top = 58;
        double max = Math.max(1.6, charted.stream().mapToDouble(r -> Double.isNaN(r.ratio()) ? 0 : r.ratio()).max()
                .orElse(1.6));
        max = Math.min(max, 6);
        int height = top + charted.size() * (barHeight + gap) + 40;
        int width = left + plotWidth + 90;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append("<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">RabbitWorks vs RabbitMQ PerfTest"
                + " (ratio ours / baseline; tick = target)</text>\n");
        svg.append("<text x=\"10\" y=\"38\" fill=\"#555\">").append(escape(subtitle))
                .append(" · footprint rows: ours / bound, lower is better</text>\n");
        for (double tick = 0; tick <= max + 1e-9; tick += max > 3 ? 1 : 0.5) {
            double x = left + tick / max * plotWidth;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, top - 6, x, height - 30));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s×</text>%n",
                    x, height - 14, number(tick)));
        }
        int y = top;
        for (Row row : charted) {
            double ratio = Double.isNaN(row.ratio()) ? 0 : Math.min(row.ratio(), max);
            Boolean met = row.met();
            String colour = Boolean.TRUE.equals(met) ? "#3a9a4a" : "#c83c3c";
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", left - 8,
                    y + 15, escape(shorten(row.scenario() + " · " + row.metric(), 58))));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    left, y, ratio / max * plotWidth, barHeight, colour));
            double targetX = left + Math.min(row.target(), max) / max * plotWidth;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\""
                    + " stroke-width=\"2\"/>%n", targetX, y - 3, targetX, y + barHeight + 3));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                    left + ratio / max * plotWidth + 6, y + 15, number(row.ratio()) + "×"));
            y += barHeight + gap;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
