package dev.kiban.dashboard;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The dashboard's HTML: escaping (every text from the engine or a file is hostile: a container may be named
 * {@code <script>}), the page around each body, and the masking of values that look secret. No inline script or
 * style: the Content-Security-Policy allows neither.
 */
final class Html {
    /** The pages, in the order of the navigation bar: path and title. */
    static final List<Map.Entry<String, String>> PAGES = List.of(Map.entry("/", "Overview"),
            Map.entry("/stacks", "Stacks"), Map.entry("/metrics", "Metrics"), Map.entry("/alerts", "Alerts"),
            Map.entry("/backups", "Backups"), Map.entry("/results", "Verify & audit"), Map.entry("/events", "Events"));

    /** Label and variable names whose values are never shown. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass|secret|token|key|credential|auth|private|cookie|session|apikey|dsn).*");

    static final String MASK = "••••••";

    private Html() {}

    static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') b.append('\uFFFD');
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    /** Whether a label or variable of this name may hold a secret, so that its value is masked. */
    static boolean looksSecret(String name) {
        return name != null && SECRET_NAME.matcher(name).matches();
    }

    /** A label's value as shown: masked when its name looks secret, else escaped. */
    static String labelValue(String name, String value) {
        return looksSecret(name) ? MASK : escape(value);
    }

    /** A link to one of the dashboard's own pages (paths are kiban's constants; the text is escaped). */
    static String link(String path, String text) {
        return "<a href=\"" + escape(path) + "\">" + escape(text) + "</a>";
    }

    static String page(String path, String title, String tunnel, String body, String... scripts) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(escape(title)).append(" — kiban</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/dashboard.css\"><link rel=\"icon\" href=\"data:,\">");
        for (String s : scripts) b.append("<script src=\"").append(escape(s)).append("\" defer></script>");
        b.append("</head><body><header><span class=\"brand\">kiban</span><nav>");
        for (var p : PAGES) {
            b.append("<a href=\"").append(p.getKey()).append('"')
                    .append(p.getKey().equals(path) ? " class=\"here\" aria-current=\"page\"" : "").append('>')
                    .append(escape(p.getValue())).append("</a>");
        }
        b.append("</nav></header><main><h1>").append(escape(title)).append("</h1>\n").append(body)
                .append("</main><footer>Read-only. Reach it from your machine through an SSH tunnel: <code>")
                .append(escape(tunnel)).append("</code>, then open the address above on your side.</footer>")
                .append("</body></html>\n");
        return b.toString();
    }

    /** A table: the header cells are text, the row cells already HTML. */
    static String table(List<String> headers, List<List<String>> rows, String empty) {
        if (rows.isEmpty()) return "<p class=\"none\">" + escape(empty) + "</p>\n";
        StringBuilder b = new StringBuilder("<table><thead><tr>");
        for (String h : headers) b.append("<th>").append(escape(h)).append("</th>");
        b.append("</tr></thead><tbody>\n");
        for (List<String> row : rows) {
            b.append("<tr>");
            for (String cell : row) b.append("<td>").append(cell).append("</td>");
            b.append("</tr>\n");
        }
        return b.append("</tbody></table>\n").toString();
    }

    static String bytes(long bytes) {
        return dev.kiban.spec.ByteSize.ofBytes(Math.max(0, bytes)).approximateIec();
    }

    /** A short state word with a class that colours it (the class is one of kiban's words, never input). */
    static String state(String word, boolean bad) {
        return "<span class=\"" + (bad ? "bad" : "good") + "\" data-state=\"" + escape(word) + "\">" + escape(word)
                + "</span>";
    }

    static String errorBox(String what, String why) {
        return "<p class=\"bad\">" + escape(what) + ": " + escape(why) + "</p>\n";
    }
}
