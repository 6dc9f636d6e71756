package dev.kiban.monitor;

import dev.kiban.spec.SpecException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Channel addresses hold secrets (Discord's token is in the webhook's path), so they are checked here
 * with errors that name the spec key and never the value, and any text that may quote one (an HTTP
 * client's exception, an SMTP reply) is redacted before anyone prints or stores it.
 */
final class ChannelUrls {
    private static final Pattern ANY_URL = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://\\S*");

    private ChannelUrls() {}

    /**
     * The URL of a channel: absolute, http(s), with a host and no user:password part. {@code httpsOnly}
     * still lets plain http reach a loopback receiver (a local relay, a test).
     */
    static URI parse(String key, String value, boolean httpsOnly) {
        String want = httpsOnly ? "https URL" : "http(s) URL";
        URI u;
        try {
            // the JDK's own message quotes the input; it is dropped on purpose
            u = new URI(value.strip());
        } catch (URISyntaxException | RuntimeException e) {
            throw new SpecException(key + ": not a valid " + want + " (the value is not shown: it is a secret)");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        boolean web = scheme.equals("https") || scheme.equals("http");
        if (!u.isAbsolute() || u.isOpaque() || u.getHost() == null || !web) {
            throw new SpecException(key + ": not a valid " + want + " (the value is not shown: it is a secret)");
        }
        if (u.getRawUserInfo() != null) {
            throw new SpecException(key + ": credentials in the URL (user:password@) are not supported; "
                    + "put the secret in the path or a token the receiver checks");
        }
        if (httpsOnly && scheme.equals("http") && !loopback(u.getHost())) {
            throw new SpecException(key + ": not a valid https URL (plain http would send the secret in the clear)");
        }
        return u;
    }

    /** The URL and the parts of it a receiver or client may quote back (Discord's token is its last path segment). */
    static String[] secretsOf(String given, URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String last = path.replaceFirst("/+$", "").replaceFirst(".*/", "");
        return new String[] {given, uri.toString(), uri.getRawAuthority() + path, path.length() > 1 ? path : "",
            last.length() >= 8 ? last : ""};
    }

    /** 127.0.0.0/8, ::1 and localhost; names are not resolved, so DNS cannot make a remote host look local. */
    static boolean loopback(String host) {
        if (host == null) return false;
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.equals("localhost") || h.endsWith(".localhost")) return true;
        boolean literal = h.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (h.contains(":") && h.matches("[0-9a-f:.]+"));
        if (!literal) return false;
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * {@code text} with every URL replaced by the channel's name and every secret (and its base64, as
     * an SMTP AUTH exchange would carry it) removed. Null becomes "".
     */
    static String redact(String text, String channel, String... secrets) {
        if (text == null) return "";
        String out = text;
        String[] longestFirst = secrets.clone(); // a part (the path) must not break the match of the whole
        java.util.Arrays.sort(longestFirst,
                java.util.Comparator.comparingInt((String x) -> x == null ? 0 : x.length()).reversed());
        for (String s : longestFirst) {
            if (s == null || s.isEmpty()) continue;
            out = out.replace(s, "<secret>");
            out = out.replace(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)), "<secret>");
        }
        out = ANY_URL.matcher(out).replaceAll(java.util.regex.Matcher.quoteReplacement("<" + channel + " URL>"));
        return out.replaceAll("\\p{Cntrl}", " ");
    }

    /** What a failed send may say of its exception: a plain phrase, or its message redacted, never a class name. */
    static String describe(Throwable e, String channel, String... secrets) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException) {
                return "timed out";
            }
            if (t instanceof java.net.ConnectException) return "connection refused or unreachable";
            if (t instanceof java.net.UnknownHostException
                    || t instanceof java.nio.channels.UnresolvedAddressException) {
                return "host not found";
            }
            if (t instanceof javax.net.ssl.SSLException) return "TLS failed (certificate or protocol)";
        }
        String m = redact(e.getMessage(), channel, secrets).replaceAll("\\b(java|javax|jdk|sun)\\.[\\w.$]+:?", "");
        m = m.strip();
        if (m.isEmpty()) return "no answer";
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }
}
