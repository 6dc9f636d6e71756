package dev.kiban.spec;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a local endpoint listens: an IP literal or {@code localhost}, optionally with {@code :PORT}
 * ({@code 127.0.0.1:9464}, {@code [::1]:9464}). Never {@code auto} or a host name: a listener binds an
 * address, and one resolved by DNS could be anything.
 */
public record ListenAddress(String address, Optional<Integer> port) {
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    public static ListenAddress parse(String text) {
        String t = text.trim();
        String host = t;
        Optional<Integer> port = Optional.empty();
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) throw bad(text);
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw bad(text);
                port = Optional.of(port(rest.substring(1), text));
            }
            if (!host.contains(":")) throw bad(text);
        } else if (t.chars().filter(c -> c == ':').count() == 1) {
            host = t.substring(0, t.indexOf(':'));
            port = Optional.of(port(t.substring(t.indexOf(':') + 1), text));
        }
        if (host.equalsIgnoreCase("localhost")) return new ListenAddress("localhost", port);
        if (host.contains(":")) {
            if (!IPV6.matcher(host).matches() || !ipv6(host)) throw bad(text);
            return new ListenAddress(host.toLowerCase(Locale.ROOT), port);
        }
        try {
            Ipv4.parse(host);
        } catch (IllegalArgumentException e) {
            throw bad(text);
        }
        return new ListenAddress(host, port);
    }

    private static boolean ipv6(String host) {
        try {
            // a literal with ':' is never looked up, so this cannot reach DNS
            return java.net.InetAddress.getByName(host) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException | SecurityException e) {
            return false;
        }
    }

    private static int port(String digits, String text) {
        if (!digits.matches("\\d{1,5}") || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 65535) {
            throw new IllegalArgumentException("the port in " + SpecText.shown(text) + " must be 1 to 65535");
        }
        return Integer.parseInt(digits);
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("expected ADDRESS or ADDRESS:PORT with an IP address or localhost "
                + "(127.0.0.1, 127.0.0.1:9464, [::1]:9464), got " + SpecText.shown(text));
    }

    public boolean isLoopback() {
        return SpecText.isLoopback(address);
    }

    /** The address alone, as a socket binds it. */
    @Override
    public String toString() {
        return address;
    }
}
