package dev.kiban.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiban.spec.Cidr;
import dev.kiban.spec.HostPath;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.SpecException;
import dev.kiban.spec.SpecText;
import dev.kiban.spec.Tristate;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code /etc/docker/daemon.json}: the design's three fragments (logging, security, performance)
 * merged into one file (R2.2), with the design's defects left out: live-restore follows Swarm (D1),
 * data-root stays off the volume tree (D6, checked by the spec), SELinux labels on rhel (D11), a
 * seccomp profile only when it is a real file (D12), userns-remap only when asked (D13).
 */
public final class DaemonJson {
    public static final String PATH = "/etc/docker/daemon.json";

    private DaemonJson() {}

    /** Needs a spec resolved for the host ({@link PlatformSpec#resolved}), so no setting is still auto. */
    public static Artifact render(PlatformSpec spec) {
        return Artifact.config(PATH, json(spec), "engine settings (R2.2)", Artifact.Reader.DOCKERD);
    }

    static String json(PlatformSpec spec) {
        var e = spec.engine();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode d = mapper.createObjectNode();
        d.put("log-driver", e.logging().driver());
        ObjectNode logOpts = d.putObject("log-opts");
        logOpts.put("max-size", e.logging().maxSize().toString().toLowerCase(Locale.ROOT));
        logOpts.put("max-file", String.valueOf(e.logging().maxFile()));
        if (!e.logging().labels().isEmpty()) logOpts.put("labels", String.join(",", e.logging().labels()));
        d.put("storage-driver", e.storageDriver());
        d.put("data-root", dataRoot(e.dataRoot()));
        d.put("live-restore", resolved(e.liveRestore(), "engine.liveRestore"));
        d.put("userland-proxy", e.userlandProxy());
        d.put("no-new-privileges", e.noNewPrivileges());
        if (resolved(e.selinuxEnabled(), "engine.selinuxEnabled")) d.put("selinux-enabled", true);
        if (!e.seccompProfile().equals("builtin")) d.put("seccomp-profile", e.seccompProfile());
        if (!e.usernsRemap().isEmpty()) d.put("userns-remap", e.usernsRemap());
        d.put("max-concurrent-downloads", e.maxConcurrentDownloads());
        d.put("max-concurrent-uploads", e.maxConcurrentUploads());
        ObjectNode ulimits = d.putObject("default-ulimits");
        e.ulimits().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(u -> {
            ObjectNode limit = ulimits.putObject(u.getKey());
            limit.put("Name", u.getKey());
            limit.put("Hard", u.getValue().hard());
            limit.put("Soft", u.getValue().soft());
        });
        var networks = spec.networks().docker();
        d.put("bip", gateway(networks.bridge()));
        ArrayNode pools = d.putArray("default-address-pools");
        for (Cidr pool : servicePools(spec)) {
            pools.addObject().put("base", pool.toString()).put("size", pool.prefix());
        }
        try {
            return mapper.writeValueAsString(d) + "\n";
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** JSON needs no escaping help, but dockerd would take over (and chmod) a system directory as its data root. */
    static String dataRoot(HostPath dir) {
        String path = SpecText.requireUnitPath("engine.dataRoot", dir);
        if (!path.equals("/var/lib/docker") && dir.systemDirectory().isPresent()) {
            throw new SpecException("engine.dataRoot: refusing to render a system directory as dockerd's data root");
        }
        return path;
    }

    /** The per-stack bridge networks as the daemon's address pools: every /N from {@code from} to {@code to}. */
    static List<Cidr> servicePools(PlatformSpec spec) {
        var services = spec.networks().docker().services();
        int prefix = services.from().prefix();
        long step = 1L << (32 - prefix);
        java.util.ArrayList<Cidr> out = new java.util.ArrayList<>();
        for (long net = services.from().first(); net <= services.to().first(); net += step) {
            out.add(new Cidr(net, prefix));
        }
        return out;
    }

    /** docker0's address: the first host address of its network, as {@code bip} wants it. */
    private static String gateway(Cidr network) {
        long gw = network.first() + 1;
        return ((gw >> 24) & 255) + "." + ((gw >> 16) & 255) + "." + ((gw >> 8) & 255) + "." + (gw & 255) + "/"
                + network.prefix();
    }

    private static boolean resolved(Tristate value, String key) {
        if (value == Tristate.AUTO) {
            throw new IllegalStateException(key + " must be resolved for the host before rendering");
        }
        return value == Tristate.TRUE;
    }
}
