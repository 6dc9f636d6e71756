package dev.kiban.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shapes a spec value must have before kiban puts it into a shell, a unit file, a config file or
 * a path. {@code spec validate} reports a value of the wrong shape at its key; each renderer asks
 * again with {@link #require} and refuses, so a value that got past validation still cannot inject a
 * line, a directive or a second argument. Checks never echo a value that may be a secret.
 */
public final class SpecText {
    private SpecText() {}

    /** What a value must look like, and how an operator is told. */
    public enum Form {
        /*
         * firewalld's own rule (firewalld/firewalld, src/firewall/core/io/io_object.py check_name and
         * io/zone.py Zone.check_name): letters, digits, '_', '-' and one '/' (not in a file name), at most
         * functions.max_zone_name_len() = 28 - len("POST") - len("__allow") = 17 characters.
         */
        ZONE("a firewalld zone name: 1 to 17 letters, digits, _ or - (firewalld's limit)",
                "[A-Za-z0-9_][A-Za-z0-9_-]{0,16}"),
        /** POSIX portable user names (letters, digits, '.', '_', '-'; no leading '-'). */
        USER("a user name: a letter or _, then letters, digits, ., _ or -, at most 32",
                "[A-Za-z_][A-Za-z0-9._-]{0,31}"),
        /**
         * Deliberately narrow: these land in fail2ban, dnf-automatic, apt and SMTP lines unquoted, and
         * fail2ban's mail actions put the address on a shell command line (so no leading '-' either).
         */
        EMAIL("an e-mail address like ops@example.org (letters, digits, . _ + - before the @, a host name after it)",
                "[A-Za-z0-9_+][A-Za-z0-9._+-]{0,63}@" + Names.HOST),
        HOST("a host name or IPv4 address (letters, digits, . and -)", Names.HOST),
        /** A word in a config file: a driver, a label, a logwatch service. */
        WORD("a single word of letters, digits, ., _ or -", "[A-Za-z0-9_][A-Za-z0-9._-]{0,127}"),
        /** sshd's AuthorizedKeysFile: one path (absolute or from the home), tokens %h %u %U %% only. */
        SSH_KEYS_FILE("one path without spaces or quotes, absolute or relative to the home, "
                + "using only the tokens %h, %u, %U, %%", "(?:[A-Za-z0-9._/+-]|%[huU%])+"),
        FAIL2BAN_ACTION("a fail2ban action shortcut like action_, action_mw or action_mwl", "action_[a-z0-9_]{0,40}"),
        SYSCTL_KEY("a kernel parameter name like net.ipv4.ip_forward", "[A-Za-z0-9_][A-Za-z0-9_.\\-/]{0,127}"),
        ULIMIT("a ulimit name like nofile", "[a-z]{1,32}"),
        /** logwatch's Detail: a level name or a number from 0 to 10, any case. */
        LOGWATCH_DETAIL("low, med, high or 0 to 10", "(?i)low|med|high|\\d|10"),
        LOGWATCH_RANGE("a logwatch range like yesterday, today, all or 'between -7 days and -1 days'",
                "[A-Za-z0-9][A-Za-z0-9 :-]{0,79}");

        private final String expected;
        private final Pattern pattern;

        Form(String expected, String regex) {
            this.expected = expected;
            this.pattern = Pattern.compile(regex);
        }

        public boolean accepts(String value) {
            return value != null && pattern.matcher(value).matches()
                    && (this != SSH_KEYS_FILE || !hasDotParts(value));
        }

        public String expected() {
            return expected;
        }
    }

    /** Label patterns shared by the forms. */
    private static final class Names {
        static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?";
        static final String HOST = LABEL + "(?:\\." + LABEL + ")*";
    }

    /** {@code value} when it has {@code form}; else a {@link SpecException} naming {@code key} (not the value). */
    public static String require(String key, Form form, String value) {
        if (!form.accepts(value)) {
            throw new SpecException(key + ": refusing to render a value that is not " + form.expected());
        }
        return value;
    }

    /** {@link #require}, after refusing a placeholder the design leaves open (naming the key). */
    public static String requireFilled(String key, Form form, String value) {
        return require(key, form, Placeholder.require(key, value));
    }

    /** Where the first control character (C0, DEL, C1, or a Unicode line or paragraph separator) is, if any. */
    public static Optional<String> controlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isControl(c)) {
                return Optional.of(String.format(Locale.ROOT,
                        "contains a control character (U+%04X) at position %d; no value may", (int) c, i + 1));
            }
        }
        return Optional.empty();
    }

    /** A line-safe text for a config file: no control character. */
    public static String requireLine(String key, String value) {
        if (controlCharacter(value).isPresent()) {
            throw new SpecException(key + ": refusing to render a value with a control character");
        }
        return value;
    }

    /**
     * A text for a systemd unit line (a schedule, a channel name): {@link #requireLine}, and no '%' (a
     * systemd specifier) or '\\' (an escape), so systemd reads the value as written.
     */
    public static String requireUnitText(String key, String value) {
        requireLine(key, value);
        if (value.contains("%") || value.contains("\\")) {
            throw new SpecException(key + ": refusing to render % or \\ into a unit file");
        }
        return value;
    }

    /**
     * A path for a systemd unit line ({@code RequiresMountsFor=}, {@code ReadWritePaths=}): a
     * {@link HostPath} as {@link HostPath#parse} leaves it, which excludes spaces, quotes, '%' (a systemd
     * specifier) and '\' (an escape), so the value needs no quoting.
     */
    public static String requireUnitPath(String key, HostPath path) {
        try {
            if (HostPath.parse(path.value()).value().equals(path.value())) return path.value();
        } catch (IllegalArgumentException e) {
            // falls through to the refusal, which does not repeat the value
        }
        throw new SpecException(key + ": refusing to render a path that is not absolute, normal and "
                + "free of spaces, quotes and %");
    }

    /** A value as a message may show it: quoted, control characters escaped, long ones cut. */
    public static String shown(String value) {
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(value.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c == '\n') out.append("\\n");
            else if (c == '\r') out.append("\\r");
            else if (c == '\t') out.append("\\t");
            else if (isControl(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else out.append(c);
        }
        if (value.length() > limit) out.append("...(").append(value.length()).append(" characters)");
        return out.append('"').toString();
    }

    /** True for 127.0.0.0/8, ::1 and localhost: where a cleartext login never leaves the host. */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (List.of("localhost", "localhost.", "::1", "0:0:0:0:0:0:0:1").contains(h)) return true;
        try {
            return (Ipv4.parse(h) >>> 24) == 127;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Why {@code url} is not an http(s) URL kiban can post to; never repeats the URL (it may be a secret). */
    public static Optional<String> urlProblem(String url) {
        if (controlCharacter(url).isPresent()) return Optional.of("contains a control character");
        if (url.chars().anyMatch(Character::isWhitespace)) return Optional.of("contains a space");
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!List.of("https", "http").contains(scheme)) return Optional.of("is not an http:// or https:// URL");
            if (u.getHost() == null || u.getHost().isEmpty()) return Optional.of("has no host name");
            if (u.getRawUserInfo() != null) return Optional.of("carries a user name or password before the host");
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("is not a well-formed URL");
        }
    }

    /**
     * Why {@code address} is not a Docker engine address kiban can use: {@code unix:///absolute/path},
     * {@code fd://[N]} or {@code tcp://ADDRESS[:PORT]}. Shared by {@code engine.hosts} and {@code -H}.
     */
    public static Optional<String> engineAddressProblem(String address) {
        if (address.equals("fd://") || address.matches("fd://\\d{1,9}")) return Optional.empty();
        if (address.startsWith("unix://")) {
            try {
                HostPath.parse(address.substring("unix://".length()));
                return Optional.empty();
            } catch (IllegalArgumentException x) {
                // the parser's message repeats the path: not when it may carry a login
                return Optional.of("expected unix:///absolute/path" + (mayCarryLogin(address) ? " (" + NOT_SHOWN + ")"
                        : ": " + x.getMessage()));
            }
        }
        if (!address.startsWith("tcp://")) {
            return Optional.of("expected unix:///path, fd:// or tcp://address:port, " + got(address));
        }
        try {
            URI uri = new URI(address);
            if (uri.getRawUserInfo() != null) {
                return Optional.of("expected tcp://ADDRESS:PORT without a user name or password before the host ("
                        + NOT_SHOWN + ")");
            }
            if (uri.getHost() == null) {
                return Optional.of("expected tcp://ADDRESS:PORT with an IP address or host name, " + got(address));
            }
            if (uri.getPort() > 65535 || uri.getPort() == 0) {
                return Optional.of("ports run from 1 to 65535, got " + uri.getPort());
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
                return Optional.of("expected tcp://ADDRESS:PORT and nothing more, " + got(address));
            }
            return Optional.empty();
        } catch (URISyntaxException x) {
            return Optional.of("expected tcp://ADDRESS:PORT (no spaces or other signs), " + got(address));
        }
    }

    private static final String NOT_SHOWN = "the value is not shown: it may carry a user name or password";

    /** An address with an '@' may carry {@code user:password@}: such a value is never repeated in a message. */
    private static boolean mayCarryLogin(String address) {
        return address.indexOf('@') >= 0;
    }

    private static String got(String address) {
        return mayCarryLogin(address) ? "(" + NOT_SHOWN + ")" : "got " + shown(address);
    }

    /**
     * C0, DEL, C1 and the Unicode line and paragraph separators, which start a new line somewhere; and the
     * invisible format controls (zero-width, bidi overrides, BOM), which make a value read other than it is.
     */
    /** A character that must not reach a terminal or a file raw: C0, DEL, C1, line separators, invisibles. */
    public static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u200b' && c <= '\u200f') || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2060' && c <= '\u2069') || c == '\ufeff';
    }

    private static boolean hasDotParts(String path) {
        for (String part : path.split("/", -1)) if (part.equals("..") || part.equals(".")) return true;
        return false;
    }
}
