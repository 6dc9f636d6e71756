package dev.kiban.host;

import dev.kiban.os.RunningKernel;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecText;
import dev.kiban.spec.SpecText.Form;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kernel settings: {@code 99-docker.conf} (R2.3), {@code 99-swappiness.conf} (R1.4), and
 * {@code br_netfilter} loaded at boot, without which the bridge-nf-call keys do not exist and
 * {@code sysctl --system} fails on them.
 */
public final class KernelParameters {
    private KernelParameters() {}

    public static List<Artifact> render(PlatformSpec spec) {
        return render(spec, RunningKernel.UNKNOWN);
    }

    /** As {@link #render(PlatformSpec)}, leaving out the boot-time load where the running kernel has no module. */
    public static List<Artifact> render(PlatformSpec spec, RunningKernel kernel) {
        StringBuilder docker = new StringBuilder(ManagedFile.header("#", "R2.3"));
        // one "key = value" line each: neither may hold a line break (binder and renderer both refuse it)
        new TreeMap<>(spec.engine().sysctl()).forEach((k, v) -> docker
                .append(SpecText.require("engine.sysctl", Form.SYSCTL_KEY, k)).append(" = ")
                .append(SpecText.requireLine("engine.sysctl." + k, v)).append('\n'));
        String swappiness = ManagedFile.header("#", "R1.4") + "vm.swappiness = " + spec.host().swappiness() + "\n";
        boolean bridgeKeys = spec.engine().sysctl().keySet().stream().anyMatch(k -> k.startsWith("net.bridge."));
        List<Artifact> out = new java.util.ArrayList<>(List.of(
                Artifact.config("/etc/sysctl.d/99-docker.conf", docker.toString(),
                        "kernel parameters for Docker (R2.3)", Artifact.Reader.SYSCTL),
                Artifact.config("/etc/sysctl.d/99-swappiness.conf", swappiness, "swappiness (R1.4)",
                        Artifact.Reader.SYSCTL)));
        if (bridgeKeys && kernel.loadBridgeNetfilterAtBoot()) {
            out.add(Artifact.config("/etc/modules-load.d/kiban-br_netfilter.conf", ManagedFile.header("#", "R2.3")
                    + "br_netfilter\n",
                    "br_netfilter at boot, which the net.bridge keys need (R2.3)", Artifact.Reader.MODULES));
        }
        return out;
    }

    /** The keys and values of a rendered sysctl file, for checks. */
    public static Map<String, String> parse(String content) {
        Map<String, String> out = new TreeMap<>();
        for (String line : content.split("\n")) {
            int eq = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || eq < 0) continue;
            out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return out;
    }
}
