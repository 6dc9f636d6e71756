package dev.kiban.spec;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The forms {@code maintenance.offsiteCopy.to} and its {@code endpoint} may take. Both land in a systemd unit's
 * {@code ExecStart=} argv, so they are kept to characters neither systemd nor a reader has to quote: no space,
 * quote, '%', '\', '$', ';' or control character, no {@code .} or {@code ..} part in a path.
 */
public enum OffsiteTarget {
    /** A local absolute path: another disk, a mounted share. */
    LOCAL,
    /** {@code sftp://user@host[:port]/path}. */
    SFTP,
    /** {@code s3://bucket[/prefix]}. */
    S3;

    private static final String PART = "[A-Za-z0-9_+@-][A-Za-z0-9._+@-]{0,254}";
    private static final String HOST = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*";
    private static final Pattern SFTP_FORM = Pattern.compile("sftp://([A-Za-z_][A-Za-z0-9._-]{0,31})@(" + HOST
            + ")(?::(\\d{1,5}))?((?:/" + PART + ")+)");
    private static final Pattern S3_FORM = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])((?:/" + PART
            + ")*)");
    private static final Pattern ENDPOINT_FORM = Pattern.compile("https?://(" + HOST + ")(?::(\\d{1,5}))?/?");
    private static final Pattern REGION_FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /** Which kind of target {@code to} is, or why it is none (the reason does not repeat the value). */
    public static OffsiteTarget of(String to) {
        if (to == null || to.isEmpty()) throw new IllegalArgumentException("expected a target, got nothing");
        if (SpecText.controlCharacter(to).isPresent()) {
            throw new IllegalArgumentException("a target " + SpecText.controlCharacter(to).get());
        }
        if (to.startsWith("sftp://")) {
            var m = SFTP_FORM.matcher(to);
            if (!m.matches() || dotParts(m.group(4)) || !port(m.group(3))) {
                throw new IllegalArgumentException("expected sftp://user@host[:port]/path (a user name, a host name, "
                        + "a port 1-65535, an absolute path of letters, digits and ._+@- with no . or .. part)");
            }
            return SFTP;
        }
        if (to.startsWith("s3://")) {
            var m = S3_FORM.matcher(to);
            if (!m.matches() || dotParts(m.group(2)) || m.group(1).contains("..")) {
                throw new IllegalArgumentException("expected s3://bucket[/prefix] (a bucket name of lower-case "
                        + "letters, digits, . and -; a prefix of letters, digits and ._+@- with no . or .. part)");
            }
            return S3;
        }
        if (to.contains("://")) {
            throw new IllegalArgumentException("expected a local absolute path, sftp://… or s3://…");
        }
        try {
            if (HostPath.parse(to).value().equals(to)) return LOCAL;
        } catch (IllegalArgumentException e) {
            // falls through: the reason below does not repeat the value
        }
        throw new IllegalArgumentException("expected a local absolute path (letters, digits and ._+@- between "
                + "slashes, no . or .. part, no trailing slash), sftp://user@host[:port]/path or s3://bucket/prefix");
    }

    /** Why an S3 endpoint is not {@code http[s]://host[:port]}, if it is not. */
    public static Optional<String> endpointProblem(String endpoint) {
        var m = ENDPOINT_FORM.matcher(endpoint);
        if (m.matches() && port(m.group(2))) return Optional.empty();
        return Optional.of("expected http://host[:port] or https://host[:port] (a host name or IPv4 address, no path, "
                + "user or query)");
    }

    /** Why an S3 region is not a plain name such as ap-northeast-1, if it is not. */
    public static Optional<String> regionProblem(String region) {
        return REGION_FORM.matcher(region).matches() ? Optional.empty()
                : Optional.of("expected a region name of lower-case letters, digits and - (e.g. ap-northeast-1)");
    }

    private static boolean dotParts(String path) {
        for (String part : path.split("/", -1)) {
            if (part.equals(".") || part.equals("..")) return true;
        }
        return false;
    }

    private static boolean port(String port) {
        if (port == null) return true;
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }
}
