package dev.kiban.spec;

/** A setting that kiban may decide ({@code auto}) or the operator may force ({@code true}/{@code false}). */
public enum Tristate {
    AUTO, TRUE, FALSE;

    public static Tristate parse(String text) {
        return switch (text.trim()) {
            case "auto" -> AUTO;
            case "true" -> TRUE;
            case "false" -> FALSE;
            default -> throw new IllegalArgumentException("expected auto, true or false, got \"" + text + "\"");
        };
    }

    /** The value in force: the forced one, or {@code whenAuto}. */
    public boolean resolve(boolean whenAuto) {
        return this == AUTO ? whenAuto : this == TRUE;
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
