package dev.kiban.dashboard;

import java.util.Map;
import java.util.Set;

/**
 * CPU, memory and disk per container and for the host over the last 24 hours and 7 days, as graphs. The
 * history is the monitor agent's ({@code monitor.MetricHistory}, drawn by {@code SvgChart}); where this class
 * is not yet wired to it the page says no history is recorded. Its parameters: {@code range} (24h or 7d) and
 * {@code subject} (a container name, or host).
 *
 * <p>Wiring, the one place that changes: open {@code MetricHistory.reader(<its directory under
 * sources.monitorState()>)}; a {@code subject} not in {@code reader.subjects()} is a 400 like a bad range; for
 * each subject shown and each {@code Metric} (CPU_PERCENT, MEMORY_BYTES, DISK_BYTES) take
 * {@code reader.series(subject, metric, now - range, now)} and append {@code SvgChart}'s SVG inline (the CSP
 * allows inline SVG markup: it is not a script or a style attribute; titles escaped with {@link Html#escape}).
 */
final class MetricsPage {
    static final Set<String> PARAMETERS = Set.of("range", "subject");
    static final Set<String> RANGES = Set.of("24h", "7d");

    private MetricsPage() {}

    /** The page; a {@link Gate.RefusedRequest} (400) for a range that is not one of {@link #RANGES}. */
    static String render(Sources sources, Map<String, String> query) throws Gate.RefusedRequest {
        String range = query.getOrDefault("range", "24h");
        if (!RANGES.contains(range)) throw new Gate.RefusedRequest(400, "Bad request: range is 24h or 7d.");
        StringBuilder b = new StringBuilder("<p class=\"ranges\">");
        for (String r : RANGES.stream().sorted().toList()) {
            b.append("<a href=\"/metrics?range=").append(r).append('"').append(r.equals(range) ? " class=\"here\"" : "")
                    .append('>').append(r).append("</a> ");
        }
        b.append("</p>\n<p class=\"none\" id=\"no-history\">No metrics history is recorded yet: the monitoring agent "
                + "keeps it under ").append(Html.escape(sources.monitorState().toString()))
                .append(" once history recording is part of this kiban.</p>\n");
        return b.toString();
    }
}
