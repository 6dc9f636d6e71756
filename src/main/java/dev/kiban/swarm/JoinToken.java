package dev.kiban.swarm;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Swarm join token read from a secret: the bare token, or the join command {@code kiban swarm init} saves
 * ({@code docker swarm join --token SWMTKN-… ADDR:2377}). Its {@link #toString()} never shows it.
 */
public final class JoinToken {
    // SWMTKN-1-<root CA digest, base36>-<secret, base36>: Docker's own format
    private static final Pattern TOKEN = Pattern.compile("SWMTKN-1-[0-9a-z]{20,64}-[0-9a-z]{16,40}");
    private static final Pattern IN_COMMAND = Pattern.compile("(?:^|\\s)--token\\s+(\\S+)");

    private final String value;

    private JoinToken(String value) {
        this.value = value;
    }

    /** The token in {@code text}, or empty when it holds none of Docker's form (the text is never repeated). */
    public static Optional<JoinToken> parse(String text) {
        String t = text.strip();
        Matcher m = IN_COMMAND.matcher(t);
        if (m.find()) t = m.group(1);
        return TOKEN.matcher(t).matches() ? Optional.of(new JoinToken(t)) : Optional.empty();
    }

    public String value() {
        return value;
    }

    /** {@code message} with this token blotted out: an engine's error may quote what it was sent. */
    public String redact(String message) {
        return message == null ? "" : message.replace(value, "<token>");
    }

    @Override
    public String toString() {
        return "<join token>";
    }
}
