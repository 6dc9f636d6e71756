package dev.kiban.stack;

import static dev.kiban.stack.StackLint.WAIVER_CAPABILITIES;
import static dev.kiban.stack.StackLint.WAIVER_DEVICES;
import static dev.kiban.stack.StackLint.WAIVER_DOCKER_SOCK;
import static dev.kiban.stack.StackLint.WAIVER_HOST_MOUNT;
import static dev.kiban.stack.StackLint.WAIVER_HOST_NAMESPACE;
import static dev.kiban.stack.StackLint.WAIVER_HOST_NETWORK;
import static dev.kiban.stack.StackLint.WAIVER_PRIVILEGED;
import static dev.kiban.stack.StackLint.WAIVER_SECURITY_OPT;

import dev.kiban.spec.Problem;
import dev.kiban.spec.Problem.Severity;
import dev.kiban.spec.SpecNode;
import dev.kiban.spec.SpecNode.Mapping;
import dev.kiban.spec.SpecNode.Scalar;
import dev.kiban.spec.SpecNode.Sequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lint of what lets a service reach past its container to the host: privileged, runtime sockets and
 * host system paths bound in (any spelling of the path, short or long syntax, or through a named volume
 * that binds a host directory), host namespaces, added capabilities, devices, security options that turn
 * a confinement off, and sysctls that are not namespaced. Values are read as Docker reads them: a
 * {@code privileged} that is not a YAML boolean is an error, since Docker's loaders read "true", yes and
 * 1 as true; a value taken from a variable at deploy time cannot be checked and is an error too.
 * Each finding is an error unless the service carries the waiver label of its class (see {@link StackLint}).
 */
final class Escalations {
    /** Docker's default capabilities: adding one of them changes nothing. */
    private static final Set<String> DEFAULT_CAPS = Set.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD",
            "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
            "AUDIT_WRITE");
    /** Why the capabilities asked for most are dangerous; any other one beyond the defaults is a finding too. */
    private static final Map<String, String> CAP_WHY = Map.ofEntries(
            Map.entry("ALL", "every capability, close to privileged"),
            Map.entry("SYS_ADMIN", "mounts, namespaces and most of root's powers, enough to escape the container"),
            Map.entry("NET_ADMIN", "control of interfaces, routes and firewall rules"),
            Map.entry("SYS_PTRACE", "tracing and injecting code into other processes"),
            Map.entry("SYS_MODULE", "loading kernel modules into the host's kernel"),
            Map.entry("DAC_READ_SEARCH", "reading any host file by handle, a known container escape"),
            Map.entry("SYS_RAWIO", "raw access to devices and I/O ports"),
            Map.entry("SYS_BOOT", "rebooting the host"),
            Map.entry("SYS_TIME", "setting the host's clock"),
            Map.entry("BPF", "loading BPF programs into the host's kernel"),
            Map.entry("PERFMON", "watching the host's kernel and processes"),
            Map.entry("MAC_ADMIN", "changing the host's AppArmor or SELinux policy"),
            Map.entry("MAC_OVERRIDE", "overriding the host's AppArmor or SELinux policy"),
            Map.entry("SYSLOG", "reading and clearing the host kernel's log"),
            Map.entry("LINUX_IMMUTABLE", "changing immutable files"),
            Map.entry("AUDIT_CONTROL", "changing the host's audit rules"));
    private static final Set<String> KNOWN_CAPS = Set.of("AUDIT_READ", "BLOCK_SUSPEND", "CHECKPOINT_RESTORE",
            "IPC_LOCK", "IPC_OWNER", "LEASE", "NET_BROADCAST", "SYS_NICE", "SYS_PACCT", "SYS_RESOURCE",
            "SYS_TTY_CONFIG", "WAKE_ALARM");
    /** The sysctls Docker lets a container set in its own namespaces (net.* only with its own network). */
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    private static final Map<String, String> NAMESPACES = Map.of(
            "pid", "shares the host's process namespace: the container sees and can signal every host process",
            "ipc", "shares the host's IPC namespace: the shared memory of host processes",
            "uts", "shares the host's UTS namespace: the container can rename the host",
            "userns_mode", "turns user-namespace remapping off: root in the container is root on the host",
            "cgroup", "shares the host's cgroup namespace: the container sees the host's cgroup tree");

    private final ComposeFile compose;
    private final Mapping root;
    private final String path;
    private final Mapping svc;
    private final Set<String> waived;
    private final List<Problem> out;
    private final Path dir;

    private Escalations(ComposeFile compose, Mapping root, String path, Mapping svc, Set<String> waived,
            List<Problem> out) {
        this.compose = compose;
        this.root = root;
        this.path = path;
        this.svc = svc;
        this.waived = waived;
        this.out = out;
        Path parent = Path.of(compose.file()).toAbsolutePath().getParent();
        this.dir = parent == null ? Path.of("/") : parent;
    }

    /** Checks one service; {@code path} is {@code services.NAME}. */
    static void service(ComposeFile compose, Mapping root, String path, Mapping svc, List<Problem> out) {
        Mapping deploy = svc.get("deploy") instanceof Mapping d ? d : null;
        SpecNode deployLabels = deploy == null ? null : deploy.get("labels");
        Set<String> waived = waivers(compose.file(), path, out, svc.get("labels"), deployLabels);
        new Escalations(compose, root, path, svc, waived, out).check();
    }

    /**
     * A top-level config or secret read from a host file: the docker CLI reads it, as root, at deploy time
     * and hands it to the service, so a host system file there is as good as bound in. Its own labels waive.
     */
    static void hostFile(ComposeFile compose, String path, SpecNode def, List<Problem> out) {
        if (!(def instanceof Mapping m) || !(m.get("file") instanceof Scalar file)) return;
        Set<String> waived = waivers(compose.file(), path, out, m.get("labels"));
        Escalations e = new Escalations(compose, root(compose), path, m, waived, out);
        if (interpolated(file.text())) {
            e.unchecked(file, path + ".file", "the file");
            return;
        }
        // a config or secret file is always a path (never a volume name): "foo/../x" is relative to the file
        String text = file.text().trim();
        String asPath = text.startsWith("/") || text.startsWith("~") || text.startsWith(".") ? text : "./" + text;
        HostPaths.normalise(asPath, e.dir)
                .filter(p -> !e.relativeInside(asPath, p))
                .flatMap(HostPaths::system)
                .ifPresent(why -> e.flag(WAIVER_HOST_MOUNT, file, path + ".file",
                        "the docker CLI reads this file as root at deploy time: " + why));
    }

    private static Mapping root(ComposeFile compose) {
        return compose.tree() instanceof Mapping m ? m : new Mapping(compose.tree().location(), Map.of());
    }

    /**
     * The waiver labels given with a reason. A waiver label without one, or a {@code kiban.waiver.*} label
     * that is none of the known ones, is reported (the first as an error: it waives nothing).
     */
    static Set<String> waivers(String file, String path, List<Problem> out, SpecNode... labelNodes) {
        Set<String> waived = new HashSet<>();
        for (SpecNode labels : labelNodes) {
            List<Label> list = new ArrayList<>();
            if (labels instanceof Mapping m) {
                m.entries().forEach((k, e) -> list.add(new Label(k, e.value() instanceof Scalar s ? s.text() : "",
                        new Scalar(e.keyLocation(), k, Scalar.Kind.STRING))));
            } else if (labels instanceof Sequence s) {
                for (SpecNode item : s.items()) {
                    if (!(item instanceof Scalar t)) continue;
                    String[] kv = t.text().split("=", 2);
                    list.add(new Label(kv[0].trim(), kv.length == 2 ? kv[1] : "", item));
                }
            }
            for (Label l : list) {
                if (!l.key().startsWith("kiban.waiver.")) continue;
                if (!StackLint.WAIVERS.contains(l.key())) {
                    add(out, Severity.WARNING, file, l.at(), path + ".labels", l.key() + " is not a waiver kiban"
                            + " knows; the known ones are " + String.join(", ", StackLint.WAIVERS));
                } else if (l.reason().isBlank()) {
                    add(out, Severity.ERROR, file, l.at(), path + ".labels", "the waiver " + l.key()
                            + " needs the reason as its value, e.g. " + l.key()
                            + "=\"reads container labels\"; without one it waives nothing");
                } else {
                    waived.add(l.key());
                }
            }
        }
        return waived;
    }

    private record Label(String key, String reason, SpecNode at) {}

    private void check() {
        privileged();
        hostNetwork();
        NAMESPACES.forEach((key, why) -> {
            SpecNode n = svc.get(key);
            if (!(n instanceof Scalar s)) return;
            if (interpolated(s.text())) unchecked(n, path + "." + key, key);
            else if (s.text().trim().equalsIgnoreCase("host")) {
                flag(WAIVER_HOST_NAMESPACE, n, path + "." + key, key + ": host " + why);
            }
        });
        capabilities();
        securityOptions();
        devices();
        sysctls();
        volumes();
    }

    private void privileged() {
        SpecNode n = svc.get("privileged");
        if (n == null || n instanceof SpecNode.Null) return;
        if (n instanceof Scalar s && s.kind() == Scalar.Kind.BOOLEAN) {
            if (s.text().equalsIgnoreCase("true")) {
                flag(WAIVER_PRIVILEGED, n, path + ".privileged", "privileged gives the container the host");
            }
            return;
        }
        String shown = n instanceof Scalar s ? "\"" + s.text() + "\""
                : "a " + (n instanceof Mapping ? "mapping" : "list");
        add(out, Severity.ERROR, compose.file(), n, path + ".privileged", "privileged is " + shown
                + ", not a YAML boolean; Docker may read it as true. Write true or false without quotes");
    }

    private void hostNetwork() {
        SpecNode mode = svc.get("network_mode");
        if (mode instanceof Scalar s) {
            if (interpolated(s.text())) unchecked(mode, path + ".network_mode", "network_mode");
            else if (s.text().trim().equalsIgnoreCase("host")) hostNet(mode, path + ".network_mode");
        }
        Set<String> host = hostNetworks();
        if (svc.get("networks") instanceof Sequence list) {
            for (int i = 0; i < list.items().size(); i++) {
                if (list.items().get(i) instanceof Scalar s) network(host, s.text(), s, path + ".networks[" + i + "]");
            }
        } else if (svc.get("networks") instanceof Mapping map) {
            map.entries().forEach((k, e) ->
                    network(host, k, new Scalar(e.keyLocation(), k, Scalar.Kind.STRING), path + ".networks." + k));
        }
    }

    private void network(Set<String> host, String name, SpecNode at, String where) {
        if (interpolated(name) || host.contains("$" + name.trim())) unchecked(at, where, "the network");
        else if (host.contains(name.trim())) hostNet(at, where);
    }

    private void hostNet(SpecNode at, String where) {
        flag(WAIVER_HOST_NETWORK, at, where, "host networking bypasses the port policy and the firewall (R3.4)");
    }

    /**
     * The service-side names of Swarm's {@code host} network: {@code host} itself, or a network whose name is
     * host; a network whose name comes from a variable is in the set as {@code $key}.
     */
    private Set<String> hostNetworks() {
        Set<String> host = new HashSet<>();
        Mapping nets = root.get("networks") instanceof Mapping m ? m : null;
        if (nets == null || nets.get("host") == null) host.add("host");
        if (nets != null) {
            nets.entries().forEach((key, e) -> {
                String name = key;
                if (e.value() instanceof Mapping def) {
                    if (def.get("name") instanceof Scalar n) name = n.text();
                    else if (def.get("external") instanceof Mapping ext && ext.get("name") instanceof Scalar n) {
                        name = n.text();
                    }
                }
                if (name.trim().equalsIgnoreCase("host")) host.add(key);
                else if (interpolated(name)) host.add("$" + key); // its name is only known at deploy time
            });
        }
        return host;
    }

    private void capabilities() {
        List<SpecNode> caps = items(svc.get("cap_add"));
        for (int i = 0; i < caps.size(); i++) {
            SpecNode n = caps.get(i);
            String where = path + ".cap_add[" + i + "]";
            String text = n instanceof Scalar s ? s.text() : "";
            if (interpolated(text)) {
                unchecked(n, where, "the capability");
                continue;
            }
            String cap = text.trim().toUpperCase(Locale.ROOT);
            if (cap.startsWith("CAP_")) cap = cap.substring(4);
            if (DEFAULT_CAPS.contains(cap)) continue;
            String why = CAP_WHY.containsKey(cap) ? CAP_WHY.get(cap)
                    : KNOWN_CAPS.contains(cap) ? "a capability beyond Docker's default set"
                    : "a capability kiban does not know";
            String shown = cap.isEmpty() ? "(empty)" : cap;
            flag(WAIVER_CAPABILITIES, n, where, "cap_add " + shown + " gives the container " + why);
        }
    }

    private void securityOptions() {
        List<SpecNode> opts = items(svc.get("security_opt"));
        for (int i = 0; i < opts.size(); i++) {
            SpecNode n = opts.get(i);
            String where = path + ".security_opt[" + i + "]";
            String text = n instanceof Scalar s ? s.text().trim().toLowerCase(Locale.ROOT) : "";
            if (interpolated(text)) {
                unchecked(n, where, "the security option");
                continue;
            }
            // Docker splits on the first '=', and on the first ':' in the older spelling
            int cut = text.indexOf('=') >= 0 ? text.indexOf('=') : text.indexOf(':');
            String key = cut < 0 ? text : text.substring(0, cut).trim();
            String value = cut < 0 ? "" : text.substring(cut + 1).trim();
            String why = switch (key) {
                case "seccomp" -> value.equals("unconfined") ? "turns off the seccomp filter on system calls" : null;
                case "apparmor" -> value.equals("unconfined") ? "turns off the AppArmor profile" : null;
                case "label" -> value.equals("disable") ? "turns off SELinux separation"
                        : value.equals("type:spc_t") || value.equals("type:unconfined_t")
                        ? "runs the container as an unconfined SELinux type" : null;
                case "no-new-privileges" -> List.of("false", "0", "f").contains(value)
                        ? "turns no-new-privileges off, so setuid programs can raise privileges" : null;
                case "systempaths" -> value.equals("unconfined")
                        ? "unmasks the /proc and /sys paths Docker hides" : null;
                default -> null;
            };
            if (why != null) flag(WAIVER_SECURITY_OPT, n, where, "security_opt " + text + " " + why);
        }
    }

    private void devices() {
        List<SpecNode> devices = items(svc.get("devices"));
        for (int i = 0; i < devices.size(); i++) {
            SpecNode n = devices.get(i);
            String device = n instanceof Scalar s ? s.text().split(":")[0].trim()
                    : n instanceof Mapping m && m.get("source") instanceof Scalar s ? s.text() : "a device";
            flag(WAIVER_DEVICES, n, path + ".devices[" + i + "]",
                    "devices passes the host's " + device + " into the container");
        }
        List<SpecNode> rules = items(svc.get("device_cgroup_rules"));
        for (int i = 0; i < rules.size(); i++) {
            flag(WAIVER_DEVICES, rules.get(i), path + ".device_cgroup_rules[" + i + "]",
                    "device_cgroup_rules lets the container use host devices it creates");
        }
    }

    private void sysctls() {
        SpecNode node = svc.get("sysctls");
        boolean hostNet = svc.get("network_mode") instanceof Scalar m && m.text().trim().equalsIgnoreCase("host");
        List<Map.Entry<String, SpecNode>> keys = new ArrayList<>();
        if (node instanceof Mapping m) {
            m.entries().forEach((k, e) -> keys.add(Map.entry(k, new Scalar(e.keyLocation(), k, Scalar.Kind.STRING))));
        } else if (node instanceof Sequence s) {
            for (SpecNode item : s.items()) {
                if (item instanceof Scalar t) keys.add(Map.entry(t.text().split("=", 2)[0], item));
            }
        }
        for (var k : keys) {
            String key = k.getKey().trim().replace('/', '.');
            String where = path + ".sysctls." + key;
            if (interpolated(key)) {
                unchecked(k.getValue(), where, "the sysctl");
            } else if (key.startsWith("net.") && hostNet) {
                flag(WAIVER_HOST_NAMESPACE, k.getValue(), where,
                        "sysctl " + key + " with host networking changes the host's network stack");
            } else if (!key.startsWith("net.") && !key.startsWith("fs.mqueue.") && !IPC_SYSCTLS.contains(key)
                    && !key.equals("kernel.domainname")) {
                flag(WAIVER_HOST_NAMESPACE, k.getValue(), where,
                        "sysctl " + key + " is not namespaced: it would change the host's kernel");
            }
        }
    }

    private void volumes() {
        if (!(svc.get("volumes") instanceof Sequence vols)) return;
        for (int i = 0; i < vols.items().size(); i++) {
            SpecNode v = vols.items().get(i);
            String where = path + ".volumes[" + i + "]";
            if (v instanceof Scalar s) {
                if (interpolated(s.text())) {
                    unchecked(v, where, "the volume");
                    continue;
                }
                String[] parts = s.text().split(":");
                if (parts.length < 2) continue; // a container path alone: an anonymous volume
                mount(v, where, parts[0], false);
                boolean shared = parts.length >= 3
                        && List.of(parts[2].split(",")).stream().anyMatch(o -> o.trim().matches("r?shared"));
                if (shared) {
                    propagation(v, where);
                }
            } else if (v instanceof Mapping m) {
                String type = m.get("type") instanceof Scalar t ? t.text().trim().toLowerCase(Locale.ROOT) : "";
                String source = m.get("source") instanceof Scalar t ? t.text() : "";
                SpecNode at = m.get("source") != null ? m.get("source") : v;
                if (interpolated(source)) {
                    unchecked(at, where + ".source", "the volume source");
                    continue;
                }
                if (type.equals("bind") || type.equals("volume") || type.isEmpty()) {
                    mount(at, where + ".source", source, type.equals("bind"));
                }
                if (m.get("bind") instanceof Mapping b && b.get("propagation") instanceof Scalar p
                        && p.text().trim().toLowerCase(Locale.ROOT).matches("r?shared")) {
                    propagation(b.get("propagation"), where + ".bind.propagation");
                }
            }
        }
    }

    /** A mount's source: a host path (normalised), or a named volume that may itself bind one. */
    private void mount(SpecNode at, String where, String source, boolean bind) {
        String s = source.trim();
        if (s.isEmpty()) return;
        // compose reads a bare relative source of a bind as relative to the project directory
        if (bind && !s.startsWith("/") && !s.startsWith(".") && !s.startsWith("~")) s = "./" + s;
        Optional<String> host = HostPaths.normalise(s, dir);
        if (host.isPresent()) {
            if (!relativeInside(s, host.get())) exposes(at, where, host.get(), "");
            return;
        }
        if (root.get("volumes") instanceof Mapping vols && vols.get(s) instanceof Mapping vol) {
            String driver = vol.get("driver") instanceof Scalar d ? d.text().trim() : "local";
            if (!driver.equals("local") && !driver.isEmpty()) return;
            if (!(vol.get("driver_opts") instanceof Mapping opts)) return;
            if (!(opts.get("device") instanceof Scalar device)) return;
            String o = opts.get("o") instanceof Scalar t ? t.text() : "";
            boolean bound = interpolated(o) || List.of(o.split(",")).stream().anyMatch(x -> x.trim().matches("r?bind"));
            if (!bound) return;
            if (interpolated(device.text())) {
                unchecked(at, where, "the device of volume " + s);
                return;
            }
            String name = s;
            HostPaths.normalise(device.text(), dir).filter(p -> device.text().trim().startsWith("/"))
                    .ifPresent(p -> exposes(at, where, p, "the volume " + name + " binds " + p + ": "));
        }
    }

    private void exposes(SpecNode at, String where, String host, String via) {
        HostPaths.socket(host).ifPresent(why -> flag(WAIVER_DOCKER_SOCK, at, where, via + why));
        HostPaths.system(host).ifPresent(why -> flag(WAIVER_HOST_MOUNT, at, where, via + why));
    }

    /** A relative path that stays inside the compose file's directory is the stack's own, no host path here. */
    private boolean relativeInside(String written, String host) {
        String w = written.trim();
        boolean relative = w.startsWith(".") || !w.startsWith("/") && !w.startsWith("~");
        return relative && HostPaths.within(host, dir.normalize().toString());
    }

    private void propagation(SpecNode at, String where) {
        flag(WAIVER_HOST_MOUNT, at, where,
                "shared mount propagation lets mounts made in the container appear on the host");
    }

    private static List<SpecNode> items(SpecNode node) {
        if (node instanceof Sequence s) return s.items();
        if (node instanceof Scalar) return List.of(node);
        return List.of();
    }

    /** A value with a variable in it ({@code $$} is a literal dollar): the docker CLI fills it in from its env. */
    static boolean interpolated(String text) {
        return text.replace("$$", "").contains("$");
    }

    private void unchecked(SpecNode at, String where, String what) {
        add(out, Severity.ERROR, compose.file(), at, where, what
                + " is taken from a variable at deploy time, which lint cannot check; write the value out");
    }

    private void flag(String waiver, SpecNode at, String where, String why) {
        if (waived.contains(waiver)) return;
        // a requirement id ends the message, after the advice, as everywhere else
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("^(.*) (\\([RD][0-9][^)]*\\))$").matcher(why);
        String message = id.matches()
                ? id.group(1) + "; add the label " + waiver + " to accept it knowingly " + id.group(2)
                : why + "; add the label " + waiver + " to accept it knowingly";
        add(out, Severity.ERROR, compose.file(), at, where, message);
    }

    private static void add(List<Problem> out, Severity severity, String file, SpecNode node, String path,
            String message) {
        int line = node == null ? 0 : node.location().line();
        int col = node == null ? 0 : node.location().column();
        out.add(new Problem(severity, file, line, col, path, message));
    }
}
