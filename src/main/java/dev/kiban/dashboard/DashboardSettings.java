package dev.kiban.dashboard;

import java.net.InetAddress;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where and how the dashboard listens: the address and port, TLS (required beyond loopback), the token (also
 * required beyond loopback) and the SSH tunnel command the pages show.
 *
 * @param token the shared secret's bytes; never shown, compared in constant time
 */
public record DashboardSettings(InetAddress address, int port, Optional<SSLContext> tls, Optional<byte[]> token,
        String tunnel) {
    public static final int DEFAULT_PORT = 9440;

    public boolean loopback() {
        return address.isLoopbackAddress();
    }

    /** The address as a Host header names it: IPv6 in brackets. */
    String hostName() {
        String a = address.getHostAddress();
        return a.contains(":") ? "[" + a.replaceFirst("%.*$", "") + "]" : a;
    }

    @Override
    public String toString() {
        return "DashboardSettings[" + hostName() + ":" + port + ", tls=" + tls.isPresent() + ", token="
                + (token.isPresent() ? "set" : "none") + "]";
    }
}
