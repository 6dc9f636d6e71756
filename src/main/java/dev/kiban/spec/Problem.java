package dev.kiban.spec;

/**
 * One thing wrong with a spec, where it is, and why. Printed as {@code FILE:LINE:COL key.path: message}
 * so that editors and CI logs can jump to it.
 */
public record Problem(Severity severity, String file, int line, int column, String path, String message) {

    public enum Severity { ERROR, WARNING }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    Problem asError() {
        return new Problem(Severity.ERROR, file, line, column, path, message);
    }

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        String key = path.isEmpty() ? "" : " " + path;
        // a key or message quoting the file may hold a control character: never let it start a new line
        return clean(where + key + ": " + severity.name().toLowerCase() + ": " + message);
    }

    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (SpecText.isControl(c)) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
