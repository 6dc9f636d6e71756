package dev.kiban.testing;

import dev.kiban.os.HostPrograms;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real programs that read kiban's files (sshd, fail2ban, nft, iptables, logwatch, firewalld,
 * dockerd), installed by scripts/test-engine. Missing ones fail a test under CI and skip it elsewhere.
 */
public final class HostTools {
    private HostTools() {}

    public static Path require(String program) {
        var p = HostPrograms.system().find(program);
        if (p.isPresent()) return p.get();
        Prerequisite.missing(program + " is not installed; scripts/test-engine installs the tools the host tests use");
        return null;
    }

    public static void requireRoot() {
        Prerequisite.require("root".equals(System.getProperty("user.name")),
                "this test needs root (network and mount namespaces)");
    }

    public static HostPrograms.Result run(String... argv) throws IOException {
        return HostPrograms.system().run(List.of(argv), Duration.ofSeconds(120));
    }

    /**
     * Runs {@code command} with {@code dir} mounted over {@code target} in a private mount namespace:
     * the program sees kiban's files where it expects its configuration, and the real directory is untouched.
     */
    public static HostPrograms.Result withMountedOver(Path dir, String target, String command) throws IOException {
        requireRoot();
        require("unshare");
        return run("unshare", "-m", "sh", "-c", "mount --bind " + dir + " " + target + " && " + command);
    }

    /** A throwaway network namespace: kernel settings and firewall rules made in it stay in it. */
    public static final class NetNamespace implements AutoCloseable {
        public final String name;

        public NetNamespace() throws IOException {
            requireRoot();
            require("ip");
            name = "kiban-it-" + Long.toHexString(System.nanoTime());
            HostPrograms.Result r = run("ip", "netns", "add", name);
            if (!r.ok()) throw new IOException("ip netns add failed: " + r.output());
        }

        public HostPrograms.Result exec(String... argv) throws IOException {
            List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
            all.addAll(List.of(argv));
            return HostPrograms.system().run(all, Duration.ofSeconds(120));
        }

        @Override
        public void close() throws IOException {
            run("ip", "netns", "delete", name);
        }
    }
}
