package dev.kiban.backup;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who holds a remote copy's lock (pure but for this host's name and pid): the line a lock file or object holds,
 * and the one stale rule kiban can be sure of — a lock of this host whose process is gone. A lock of another
 * host is never taken over: the operator removes it (the message says how).
 */
record CopyLockOwner(String host, long pid, Instant since) {
    private static final Pattern LINE = Pattern.compile("kiban backup copy "
            + "host=([A-Za-z0-9._-]{1,253}) pid=([0-9]{1,10}) since=([0-9TZ:.-]{1,40})\\s*");

    static CopyLockOwner me() {
        return new CopyLockOwner(thisHost(), ProcessHandle.current().pid(), Instant.now());
    }

    static String thisHost() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.matches("[A-Za-z0-9._-]{1,253}") ? h : "unknown";
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    byte[] line() {
        return ("kiban backup copy host=" + host + " pid=" + pid + " since=" + since + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static Optional<CopyLockOwner> parse(byte[] content) {
        Matcher m = LINE.matcher(new String(content, StandardCharsets.UTF_8));
        if (!m.matches()) return Optional.empty();
        try {
            return Optional.of(new CopyLockOwner(m.group(1), Long.parseLong(m.group(2)), Instant.parse(m.group(3))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The targets this process holds a lock of now (by their description). */
    private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

    static void held(String target, boolean holds) {
        if (holds) HELD.add(target);
        else HELD.remove(target);
    }

    /**
     * A lock this host took whose process no longer runs (a killed copy), or that this process took and no longer
     * holds (a copy whose connection was lost): safe to remove.
     */
    boolean staleHere(String target) {
        if (!host.equals(thisHost())) return false;
        if (pid == ProcessHandle.current().pid()) return !HELD.contains(target);
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    String describe() {
        return "a copy from " + host + " (pid " + pid + ") since " + since;
    }
}
