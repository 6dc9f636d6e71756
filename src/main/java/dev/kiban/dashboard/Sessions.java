package dev.kiban.dashboard;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sessions a token was exchanged for: random ids (never the token itself), each valid for {@link #LIFETIME},
 * at most {@link #MAX} at once (the oldest goes first). In memory only: a restart asks for the token again.
 */
final class Sessions {
    static final String COOKIE = "kiban_session";
    static final Duration LIFETIME = Duration.ofHours(12);
    static final int MAX = 64;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiries = new LinkedHashMap<>();
    private final Clock clock;
    private final byte[] tokenDigest;

    Sessions(byte[] token, Clock clock) {
        this.tokenDigest = sha256(token);
        this.clock = clock;
    }

    /** Whether {@code offered} is the token; compares digests in constant time, so neither length nor prefix leaks. */
    boolean isToken(byte[] offered) {
        return MessageDigest.isEqual(tokenDigest, sha256(offered));
    }

    synchronized String open() {
        byte[] id = new byte[32];
        random.nextBytes(id);
        String session = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        expiries.values().removeIf(e -> !e.isAfter(clock.instant()));
        while (expiries.size() >= MAX) expiries.remove(expiries.keySet().iterator().next());
        expiries.put(session, clock.instant().plus(LIFETIME));
        return session;
    }

    synchronized boolean valid(String session) {
        if (session == null || session.length() != 43) return false;
        // look up by constant-time comparison rather than hashing the offered id into the map
        boolean found = false;
        for (var e : expiries.entrySet()) {
            if (MessageDigest.isEqual(e.getKey().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    session.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    && e.getValue().isAfter(clock.instant())) {
                found = true;
            }
        }
        return found;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
