package dev.kiban.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules every request passes before a page is made, pure so that tests call them directly: the method
 * (GET and HEAD only), the Host header (DNS rebinding: only the bound address or loopback names, with the port),
 * the size and shape of the path and query. The token and session rules are {@link Sessions}' and the server's.
 */
final class Gate {
    static final int MAX_PATH = 256;
    static final int MAX_QUERY = 1024;
    static final int MAX_VALUE = 256;

    /** A refusal: the status and a short text that gives no hint about tokens or sessions. */
    record Refusal(int status, String text) {}

    private Gate() {}

    static Optional<Refusal> method(String method) {
        return method.equals("GET") || method.equals("HEAD") ? Optional.empty()
                : Optional.of(new Refusal(405, "Method not allowed: the dashboard is read-only."));
    }

    /**
     * A missing or unparsable Host is 400; a Host naming another name or port is 421 Misdirected Request, the status
     * for a request this server is not the authority for (a page of another origin that a rebinding DNS name points
     * here).
     */
    static Optional<Refusal> host(List<String> hosts, Set<String> allowed) {
        if (hosts == null || hosts.size() != 1 || hosts.get(0).isBlank() || hosts.get(0).length() > 300) {
            return Optional.of(new Refusal(400, "Bad request: one Host header is required."));
        }
        String host = hosts.get(0).strip().toLowerCase(Locale.ROOT);
        return allowed.contains(host) ? Optional.empty()
                : Optional.of(new Refusal(421, "Misdirected request: this server answers only to its own address."));
    }

    /** The Host values accepted on a port: the bound address and the loopback names. */
    static Set<String> allowedHosts(String boundHost, int port) {
        return Set.copyOf(List.of(boundHost.toLowerCase(Locale.ROOT) + ":" + port, "localhost:" + port,
                "127.0.0.1:" + port, "[::1]:" + port));
    }

    /** The query's parameters, decoded; a refusal when it is too long (414), malformed or repeated (400). */
    static Map<String, String> query(String rawQuery, Set<String> names) throws RefusedRequest {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return out;
        if (rawQuery.length() > MAX_QUERY) throw new RefusedRequest(414, "URI too long.");
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new RefusedRequest(400, "Bad request: malformed query.");
            String name;
            String value;
            try {
                name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new RefusedRequest(400, "Bad request: malformed query.");
            }
            if (!names.contains(name) || out.containsKey(name) || value.length() > MAX_VALUE
                    || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new RefusedRequest(400, "Bad request: malformed query.");
            }
            out.put(name, value);
        }
        return out;
    }

    static Optional<Refusal> path(String rawPath) {
        if (rawPath == null || rawPath.length() > MAX_PATH) return Optional.of(new Refusal(414, "URI too long."));
        if (!rawPath.startsWith("/") || rawPath.contains("%") || rawPath.contains("..") || rawPath.contains("//")) {
            return Optional.of(new Refusal(400, "Bad request: malformed path."));
        }
        return Optional.empty();
    }

    /** The value of one cookie from the Cookie headers; empty when absent. */
    static Optional<String> cookie(List<String> headers, String name) {
        if (headers == null) return Optional.empty();
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(name + "=")) return Optional.of(p.substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** A request refused while its query was read. */
    static final class RefusedRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        RefusedRequest(int status, String text) {
            super(text, null, false, false);
            this.status = status;
        }
    }
}
