package dev.kiban.backup;

import dev.kiban.failure.UsageException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where {@code kiban backup copy --to} points, parsed (pure): a local directory, {@code sftp://user@host[:port]/path}
 * or {@code s3://bucket[/prefix]}. Anything else is a usage error (exit 2) that shows the three forms. The
 * parts are checked strictly, since they reach a server: no control character, no {@code ..} segment, a user
 * and host of the characters those may hold, a bucket as S3 names them.
 */
public record CopyAddress(Kind kind, String user, String host, int port, String path, String bucket) {
    public enum Kind { LOCAL, SFTP, S3 }

    public static final String FORMS = "a directory (/mnt/offsite/repo), sftp://user@host[:port]/path "
            + "or s3://bucket[/prefix]";

    private static final Pattern SFTP = Pattern.compile("sftp://([^@/]*)@(\\[[0-9A-Fa-f:.]+\\]|[^:/\\[\\]]*)"
            + "(?::([0-9]{1,5}))?(/.*)?");
    private static final Pattern S3 = Pattern.compile("s3://([^/]*)(?:/(.*))?");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*|\\[[0-9A-Fa-f:.]{2,45}\\]");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._+@=,~-]{1,255}");

    /** The address {@code to}; {@link UsageException} (exit 2) naming what was expected when it is none. */
    public static CopyAddress parse(String to) {
        if (to == null || to.isBlank()) throw bad(to, "it is empty");
        for (char c : to.toCharArray()) {
            if (c < 0x20 || c == 0x7f) throw bad(to, "it holds a control character");
        }
        if (to.startsWith("sftp:")) return sftp(to);
        if (to.startsWith("s3:")) return s3(to);
        if (to.matches("[A-Za-z][A-Za-z0-9+.-]*:.*") && !to.startsWith("/")) {
            throw bad(to, "kiban copies to a directory, sftp:// or s3:// only");
        }
        if (to.contains("\0")) throw bad(to, "it holds a NUL");
        return new CopyAddress(Kind.LOCAL, "", "", 0, to, "");
    }

    private static CopyAddress sftp(String to) {
        Matcher m = SFTP.matcher(to);
        if (!m.matches()) throw bad(to, "an SFTP target reads sftp://user@host[:port]/path (the user is required: "
                + "kiban logs in with a key, as that user)");
        String user = m.group(1);
        String host = m.group(2);
        if (user.contains(":")) throw bad(to, "no password in the target: kiban logs in with a key (--identity)");
        if (!USER.matcher(user).matches()) throw bad(to, "the user must be 1-32 letters, digits, '_', '.' or '-', "
                + "not starting with '-' or '.'");
        if (!HOST.matcher(host).matches() || host.length() > 253) {
            throw bad(to, "the host must be a name (letters, digits, '-', '.'), an IPv4 address or [an IPv6 address]");
        }
        int port = 22;
        if (m.group(3) != null) {
            port = Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) throw bad(to, "the port must be 1-65535");
        }
        String path = m.group(4);
        if (path == null || path.equals("/")) throw bad(to, "give the directory on the server after the host "
                + "(sftp://" + user + "@host/srv/backup/copy); the server's root is never a copy");
        return new CopyAddress(Kind.SFTP, user, host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                port, segments(to, path.substring(1), true), "");
    }

    private static CopyAddress s3(String to) {
        Matcher m = S3.matcher(to);
        if (!m.matches()) throw bad(to, "an S3 target reads s3://bucket[/prefix]");
        String bucket = m.group(1);
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw bad(to, "the bucket must be 3-63 lower-case letters, digits, '.' or '-' (S3's bucket names)");
        }
        String prefix = m.group(2) == null ? "" : m.group(2);
        if (prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
        return new CopyAddress(Kind.S3, "", "", 0, prefix.isEmpty() ? "" : segments(to, prefix, false), bucket);
    }

    /** {@code path} checked segment by segment; for SFTP made absolute again. */
    private static String segments(String to, String path, boolean absolute) {
        if (path.length() > 1024) throw bad(to, "the path is longer than 1024 characters");
        String[] parts = path.split("/", -1);
        for (String s : parts) {
            if (s.isEmpty()) throw bad(to, "the path has an empty segment ('//' or a trailing '/')");
            if (s.equals(".") || s.equals("..")) throw bad(to, "the path has a '" + s + "' segment");
            if (!SEGMENT.matcher(s).matches()) {
                throw bad(to, "each path segment may hold letters, digits and . _ + @ = , ~ - only");
            }
        }
        return absolute ? "/" + path : path;
    }

    private static UsageException bad(String to, String why) {
        // a password someone put in the target (user:password@) is never echoed
        String shown = to == null ? "" : to.replaceAll("\\p{Cntrl}", "?")
                .replaceAll("(://[^@/]*?):[^/]*@", "$1:***@");
        if (shown.length() > 200) shown = shown.substring(0, 200) + "...";
        return new UsageException("--to " + shown + ": " + why + "; expected " + FORMS);
    }

    public Path localPath() {
        return Path.of(path);
    }

    /** The address in words, for messages; never holds a secret (there is none in it). */
    public String describe() {
        return switch (kind) {
            case LOCAL -> path;
            case SFTP -> "sftp://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host)
                    + (port == 22 ? "" : ":" + port) + path;
            case S3 -> "s3://" + bucket + (path.isEmpty() ? "" : "/" + path);
        };
    }
}
