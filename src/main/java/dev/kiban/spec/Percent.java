package dev.kiban.spec;

/** A share from 0 to 100, written {@code 80%} or {@code 80}. */
public record Percent(double value) {
    public Percent {
        if (Double.isNaN(value) || value < 0 || value > 100) {
            throw new IllegalArgumentException("a percentage lies between 0% and 100%, got " + value);
        }
    }

    public static Percent parse(String text) {
        String t = text.trim();
        if (t.endsWith("%")) t = t.substring(0, t.length() - 1).trim();
        try {
            return new Percent(Double.parseDouble(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a percentage like 80%, got " + SpecText.shown(text));
        }
    }

    @Override
    public String toString() {
        return (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value)) + "%";
    }
}
