package dev.kiban.audit;

import java.util.Locale;
import java.util.Optional;

/** How much a failed check matters; {@code --fail-on} and {@code audit.failOn} name one. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Severity> of(String word) {
        for (Severity s : values()) if (s.word().equals(word)) return Optional.of(s);
        return Optional.empty();
    }
}
