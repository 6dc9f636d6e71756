package dev.kiban.audit;

import java.util.Optional;

/** A fact gathered at the edge, or why it could not be read (then the checks needing it are ERROR). */
public record Fact<T>(Optional<T> value, String error) {

    public static <T> Fact<T> of(T value) {
        return new Fact<>(Optional.of(value), "");
    }

    public static <T> Fact<T> unreadable(String why) {
        return new Fact<>(Optional.empty(), why);
    }

    public T get() {
        return value.orElseThrow(() -> new IllegalStateException(error));
    }

    public boolean present() {
        return value.isPresent();
    }
}
