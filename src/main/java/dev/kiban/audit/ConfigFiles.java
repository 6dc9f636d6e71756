package dev.kiban.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's configuration files merged as their programs merge them: pure, texts in, effective settings out.
 * Each takes the files' texts in the order the program reads them; a later setting wins.
 */
final class ConfigFiles {
    private static final Pattern SPAN = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Zµ]*)");
    private static final Map<String, Double> SECONDS = units();

    private ConfigFiles() {}

    /**
     * systemd's {@code [Journal]} settings of journald.conf then its drop-ins: {@code Key=value} lines, {@code #}
     * and {@code ;} comments, other sections ignored; an empty value resets the key to its default (removed).
     */
    static Map<String, String> journald(List<String> texts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String text : texts) {
            String section = "";
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) continue;
                if (l.startsWith("[") && l.endsWith("]")) {
                    section = l.substring(1, l.length() - 1).strip();
                    continue;
                }
                int eq = l.indexOf('=');
                if (!section.equals("Journal") || eq <= 0) continue;
                String key = l.substring(0, eq).strip();
                String value = l.substring(eq + 1).strip();
                if (value.isEmpty()) out.remove(key);
                else out.put(key, value);
            }
        }
        return out;
    }

    /**
     * A systemd time span ({@code 30day}, {@code 2w 1d}, {@code 3600}: seconds) in seconds; empty when it is not
     * one. {@code infinity} is {@link Long#MAX_VALUE}.
     */
    static OptionalLong seconds(String span) {
        String s = span.strip();
        if (s.equals("infinity")) return OptionalLong.of(Long.MAX_VALUE);
        if (s.isEmpty()) return OptionalLong.empty();
        Matcher m = SPAN.matcher(s);
        double total = 0;
        int end = 0;
        while (m.find()) {
            if (!s.substring(end, m.start()).isBlank()) return OptionalLong.empty();
            Double unit = SECONDS.get(m.group(2));
            if (unit == null) return OptionalLong.empty();
            total += Double.parseDouble(m.group(1)) * unit;
            end = m.end();
        }
        if (end == 0 || !s.substring(end).isBlank()) return OptionalLong.empty();
        return OptionalLong.of(Math.round(total));
    }

    private static Map<String, Double> units() {
        Map<String, Double> m = new java.util.HashMap<>();
        for (String u : List.of("", "s", "sec", "second", "seconds")) m.put(u, 1.0);
        for (String u : List.of("us", "usec", "µs")) m.put(u, 1e-6);
        for (String u : List.of("ms", "msec")) m.put(u, 1e-3);
        for (String u : List.of("m", "min", "minute", "minutes")) m.put(u, 60.0);
        for (String u : List.of("h", "hr", "hour", "hours")) m.put(u, 3600.0);
        for (String u : List.of("d", "day", "days")) m.put(u, 86_400.0);
        for (String u : List.of("w", "week", "weeks")) m.put(u, 604_800.0);
        for (String u : List.of("M", "month", "months")) m.put(u, 2_629_800.0);
        for (String u : List.of("y", "year", "years")) m.put(u, 31_557_600.0);
        return Map.copyOf(m);
    }

    /**
     * apt's configuration (apt.conf.d's parts in order, then apt.conf): {@code A::B "v";} and the nested form
     * {@code A { B "v"; };}, {@code //}, {@code /* *}{@code /} and {@code #} comments; keys in lower case (apt's
     * are not case-sensitive), each scope joined by {@code ::}. A list's bare values and the {@code #include} and
     * {@code #clear} directives are left out.
     */
    static Map<String, String> apt(List<String> texts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String text : texts) {
            List<String> tokens = aptTokens(text);
            List<String> scope = new ArrayList<>();
            int i = 0;
            while (i < tokens.size()) {
                String t = tokens.get(i);
                if (t.equals("}")) {
                    if (!scope.isEmpty()) scope.remove(scope.size() - 1);
                    i++;
                } else if (t.equals(";") || t.startsWith("\"")) {
                    i++; // an empty statement, or a list's value
                } else if (t.equals("{")) {
                    scope.add(""); // an unnamed scope: keep the braces balanced
                    i++;
                } else {
                    String key = join(scope, t);
                    String next = i + 1 < tokens.size() ? tokens.get(i + 1) : ";";
                    if (next.equals("{")) {
                        scope.add(t);
                        i += 2;
                    } else if (next.equals(";") || next.equals("}")) {
                        i++;
                    } else {
                        out.put(key.toLowerCase(Locale.ROOT), unquote(next));
                        i += 2;
                    }
                }
            }
        }
        return out;
    }

    private static String join(List<String> scope, String key) {
        StringBuilder b = new StringBuilder();
        for (String s : scope) if (!s.isEmpty()) b.append(s).append("::");
        return b.append(key).toString();
    }

    private static String unquote(String token) {
        return token.startsWith("\"") ? token.substring(1, token.length() - 1) : token;
    }

    /** Words, quoted strings (kept with their opening quote), braces and semicolons; comments dropped. */
    private static List<String> aptTokens(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        boolean lineStart = true;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                lineStart = true;
                i++;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if ((c == '#' && lineStart) || text.startsWith("//", i)) {
                while (i < n && text.charAt(i) != '\n') i++;
                continue;
            }
            lineStart = false;
            if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '{' || c == '}' || c == ';') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) end = n - 1;
                out.add("\"" + text.substring(i + 1, Math.max(i + 1, end)) + "\"");
                i = end + 1;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && "{};\"".indexOf(text.charAt(i)) < 0
                        && !text.startsWith("//", i)) {
                    i++;
                }
                out.add(text.substring(start, i));
            }
        }
        return out;
    }
}
