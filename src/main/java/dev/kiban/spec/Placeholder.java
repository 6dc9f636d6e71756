package dev.kiban.spec;

/**
 * Values the design leaves open are written as the design writes them: {@code <admin e-mail address>}.
 * {@code kiban spec validate} warns about them; a command that needs one refuses, naming the key.
 */
public final class Placeholder {
    private Placeholder() {}

    public static boolean is(String text) {
        return text != null && text.length() > 2 && text.startsWith("<") && text.endsWith(">")
                && text.indexOf('<', 1) < 0;
    }

    /** {@code value} itself, or a {@link SpecException} naming {@code key} when it is still a placeholder. */
    public static String require(String key, String value) {
        if (is(value)) throw unfilled(key, value);
        return value;
    }

    static SpecException unfilled(String key, String value) {
        return new SpecException(key + " is still the placeholder " + value
                + "; set it in the spec (kiban spec validate lists every open value)");
    }
}
