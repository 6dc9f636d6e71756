package dev.kiban.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A secret (webhook URL, SMTP password) given as a literal, as {@code env:NAME}, or as
 * {@code file:/path}. Its {@link #toString()} never shows a literal's value, so specs can be printed
 * and logged safely.
 */
public record SecretRef(Kind kind, String value) {
    public enum Kind { LITERAL, ENV, FILE, PLACEHOLDER }

    public static SecretRef parse(String text) {
        if (Placeholder.is(text)) return new SecretRef(Kind.PLACEHOLDER, text);
        if (text.startsWith("env:")) {
            String name = text.substring(4);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("env: needs an environment variable name like env:DISCORD_WEBHOOK, "
                        + "got \"" + text + "\"");
            }
            return new SecretRef(Kind.ENV, name);
        }
        if (text.startsWith("file:")) {
            String path = text.substring(5);
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("file: needs an absolute path like file:/etc/kiban/discord-webhook");
            }
            return new SecretRef(Kind.FILE, path);
        }
        if (text.isBlank()) throw new IllegalArgumentException("a secret cannot be empty; use env:NAME or file:/path");
        return new SecretRef(Kind.LITERAL, text);
    }

    /**
     * The secret itself. {@code key} names the spec key in the error, which never contains the value.
     */
    public String reveal(String key, Map<String, String> environment) {
        return switch (kind) {
            case LITERAL -> value;
            case ENV -> {
                String v = environment.get(value);
                if (v == null || v.isEmpty()) {
                    throw new SpecException(key + ": environment variable " + value + " is not set");
                }
                yield v;
            }
            case FILE -> {
                try {
                    yield Files.readString(Path.of(value)).strip();
                } catch (IOException e) {
                    String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                            : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : "unreadable";
                    throw new SpecException(key + ": cannot read secret file " + value + " (" + why + ")");
                }
            }
            case PLACEHOLDER -> throw Placeholder.unfilled(key, value);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LITERAL -> "<secret>";
            case ENV -> "env:" + value;
            case FILE -> "file:" + value;
            case PLACEHOLDER -> value;
        };
    }
}
