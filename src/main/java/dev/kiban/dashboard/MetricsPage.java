package dev.kiban.dashboard;

import dev.kiban.monitor.HistoryPoint;
import dev.kiban.monitor.Metric;
import dev.kiban.monitor.MetricHistory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * CPU, memory and disk of one subject (the host, or a container) over the last 24 hours or 7 days, as graphs
 * drawn by {@link SvgChart} from the monitor agent's history ({@code <monitor.state>/history}, read only). Its
 * parameters: {@code range} (24h or 7d) and {@code subject} (host, or a name the history holds: anything else is
 * a 400, so a query names only what the agent recorded). The other subjects are links.
 */
final class MetricsPage {
    static final Set<String> PARAMETERS = Set.of("range", "subject");
    static final Set<String> RANGES = Set.of("24h", "7d");

    private MetricsPage() {}

    /** The page; a {@link Gate.RefusedRequest} (400) for a range or subject the history does not have. */
    static String render(Sources sources, Map<String, String> query) throws Gate.RefusedRequest {
        String range = query.getOrDefault("range", "24h");
        if (!RANGES.contains(range)) throw new Gate.RefusedRequest(400, "Bad request: range is 24h or 7d.");
        MetricHistory.Reader history = MetricHistory.reader(sources.monitorState().resolve("history"));
        List<String> subjects = history.subjects();
        String subject = query.getOrDefault("subject", MetricHistory.HOST);
        if (query.containsKey("subject") && !subjects.contains(subject)) {
            throw new Gate.RefusedRequest(400, "Bad request: subject is host or a container the history holds.");
        }
        StringBuilder b = new StringBuilder("<p class=\"ranges\">");
        for (String r : RANGES.stream().sorted().toList()) {
            b.append("<a href=\"").append(Html.escape(href(r, subject))).append('"')
                    .append(r.equals(range) ? " class=\"here\"" : "").append('>').append(r).append("</a> ");
        }
        b.append("</p>\n");
        if (subjects.isEmpty()) {
            return b.append("<p class=\"none\" id=\"no-history\">No metrics history is recorded yet: the monitoring "
                    + "agent keeps it under ").append(Html.escape(sources.monitorState().resolve("history").toString()))
                    .append(" (monitor.history) once it runs.</p>\n").toString();
        }
        Instant to = sources.clock().instant();
        Instant from = to.minus(range.equals("7d") ? Duration.ofDays(7) : Duration.ofHours(24));
        b.append("<h2 id=\"subject\">").append(Html.escape(subject)).append("</h2>\n<div class=\"charts\">\n");
        chart(b, history, subject, Metric.CPU_PERCENT, "CPU", SvgChart.Unit.PERCENT, from, to);
        chart(b, history, subject, Metric.MEMORY_BYTES, "Memory", SvgChart.Unit.BYTES, from, to);
        OptionalDouble limit = history.memoryLimit(subject, from, to);
        if (limit.isPresent()) {
            b.append("<p class=\"limit\">memory limit: ").append(Html.escape(Html.bytes((long) limit.getAsDouble())))
                    .append("</p>\n");
        }
        List<HistoryPoint> disk = history.series(subject, Metric.DISK_BYTES, from, to);
        // a container's disk (its writable layer) is read once per 5 minutes: no chart before its first reading
        if (!disk.isEmpty() || subject.equals(MetricHistory.HOST)) {
            b.append(SvgChart.render(subject + " — disk used", SvgChart.Unit.BYTES, disk, from, to)).append('\n');
        }
        b.append("</div>\n<h2>Subjects</h2>\n<ul class=\"subjects\">\n");
        for (String s : subjects) {
            b.append("<li>").append(s.equals(subject) ? "<strong>" + Html.escape(s) + "</strong>"
                    : "<a href=\"" + Html.escape(href(range, s)) + "\">" + Html.escape(s) + "</a>").append("</li>\n");
        }
        return b.append("</ul>\n").toString();
    }

    private static void chart(StringBuilder b, MetricHistory.Reader history, String subject, Metric metric,
            String what, SvgChart.Unit unit, Instant from, Instant to) {
        b.append(SvgChart.render(subject + " — " + what, unit, history.series(subject, metric, from, to), from, to))
                .append('\n');
    }

    private static String href(String range, String subject) {
        return "/metrics?range=" + range + "&subject=" + URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }
}
