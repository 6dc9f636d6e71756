package dev.kiban.monitor;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Keeps matching alerts quiet until {@code until}: they are still tracked and listed, just not sent.
 * The matcher is a glob on "rule/subject" ({@code cpu-high/web-*}); without a slash it matches the rule
 * or the subject ({@code cpu-high}, {@code web-1}).
 */
public record Silence(String id, String matcher, Instant until, String comment) {

    public boolean matches(AlertKey key, Instant now) {
        if (!now.isBefore(until)) return false;
        if (matcher.contains("/")) return glob(matcher, key.toString());
        return glob(matcher, key.rule()) || glob(matcher, key.subject());
    }

    private static boolean glob(String pattern, String text) {
        // PathMatcher's glob treats '/' as a separator, so match on a '/'-free stand-in
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern.replace('/', '\u0001'))
                .matches(Path.of(text.replace('/', '\u0001')));
    }
}
