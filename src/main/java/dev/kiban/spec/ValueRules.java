package dev.kiban.spec;

import dev.kiban.spec.Problem.Severity;
import dev.kiban.spec.SpecText.Form;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of every value that reaches a shell, a unit file, a config file or a path (issue 10):
 * each is checked here at {@code spec validate} time, at its key, with what was expected. The
 * renderers check again ({@link SpecText#require}) and refuse rather than write a bad value.
 */
final class ValueRules {
    /** kiban's own state (generations, the lock): no file the spec names may lie there. */
    private static final String STATE = "/var/lib/kiban";
    private final PlatformSpec spec;
    private final Locator locator;
    private final List<Problem> problems;

    ValueRules(PlatformSpec spec, Locator locator, List<Problem> problems) {
        this.spec = spec;
        this.locator = locator;
        this.problems = problems;
    }

    void check() {
        form("admin.email", Form.EMAIL, spec.admin().email());
        for (int i = 0; i < spec.host().disks().size(); i++) {
            form("host.disks[" + i + "].name", Form.WORD, spec.host().disks().get(i).name());
        }
        for (int i = 0; i < spec.networks().libvirt().size(); i++) {
            form("networks.libvirt[" + i + "].name", Form.WORD, spec.networks().libvirt().get(i).name());
        }
        engine();
        paths();
        monitor();
        security();
    }

    private void engine() {
        var e = spec.engine();
        for (int i = 0; i < e.hosts().size(); i++) engineHost("engine.hosts[" + i + "]", e.hosts().get(i));
        form("engine.storageDriver", Form.WORD, e.storageDriver());
        form("engine.logging.driver", Form.WORD, e.logging().driver());
        forms("engine.logging.labels", Form.WORD, e.logging().labels());
        if (!e.seccompProfile().equals("builtin")) {
            try {
                HostPath.parse(e.seccompProfile());
            } catch (IllegalArgumentException x) {
                error("engine.seccompProfile", "expected builtin or an absolute path to a profile that exists: "
                        + x.getMessage() + " (D12)");
            }
        }
        String remap = e.usernsRemap();
        if (!remap.isEmpty() && !remap.equals("default")) {
            String[] parts = remap.split(":", -1);
            if (parts.length > 2 || !Form.USER.accepts(parts[0]) || parts.length == 2 && !Form.USER.accepts(parts[1])) {
                error("engine.usernsRemap", "expected \"\", default, USER or USER:GROUP, got " + SpecText.shown(remap));
            }
        }
        for (String name : e.ulimits().keySet()) form("engine.ulimits." + name, Form.ULIMIT, name);
        for (Map.Entry<String, String> s : e.sysctl().entrySet()) {
            if (!Form.SYSCTL_KEY.accepts(s.getKey())) {
                error("engine.sysctl", "expected " + Form.SYSCTL_KEY.expected() + ", got "
                        + SpecText.shown(s.getKey()));
            } else if (s.getValue().isBlank()) {
                error("engine.sysctl." + s.getKey(), "a kernel parameter needs a value");
            }
        }
        HostPath dataRoot = e.dataRoot();
        if (!dataRoot.value().equals("/var/lib/docker")) {
            dataRoot.systemDirectory()
                    .ifPresent(why -> error("engine.dataRoot", why + "; dockerd would take it over as its data root"));
        }
    }

    /** unix:///path, fd://[N] or tcp://ADDRESS[:PORT]; the Docker-API exposure rule is SpecRules'. */
    private void engineHost(String key, String host) {
        SpecText.engineAddressProblem(host).ifPresent(why -> error(key, why));
    }

    /** The layout's directories are created and chmodded, the volume tree relabelled: never a system directory. */
    private void paths() {
        var s = spec.storage();
        directory("storage.data", s.data(), "chmod it 0755");
        directory("storage.volumes", s.volumes(), "chmod it 0755 and relabel it for containers (restorecon -R)");
        if (s.volumes().containsSystemDirectory() && s.volumes().systemDirectory().isEmpty()) {
            error("storage.volumes", s.volumes() + " contains system directories, which restorecon -R would relabel "
                    + "for containers");
        }
        directory("storage.images", s.images(), "chmod it 0750");
        directory("storage.localBackups", s.localBackups(), "chmod it 0700");
        directory("storage.compose", s.compose(), "chmod it 0750");
        HostPath commonDir = s.commonEnv().parent();
        commonDir.systemDirectory()
                .ifPresent(why -> error("storage.commonEnv", "its directory " + why + "; kiban would chmod it 0750"));
        directory("backup.repository", spec.backup().repository(), "chmod it 0700");
        directory("monitor.state", spec.monitor().state(), "write the monitor's state into it");
        kibanFile("backup.log", spec.backup().log(), List.of(), "kiban appends its backup log there");
        // the directory of the weekly routine's logs (<job>.log): checked as the file kiban writes there
        kibanFile("maintenance.logs", new HostPath(spec.maintenance().logs().value().replaceAll("/+$", "")
                + "/image-prune.log"), List.of(), "kiban appends the weekly routine's logs there");
        kibanFile("swarm.joinTokenFile", spec.swarm().joinTokenFile(), List.of("/etc/kiban"),
                "kiban writes the token there (keep it under /root or /etc/kiban)");
    }

    /**
     * A file kiban writes (a log, the join token): never the spec file itself, never inside kiban's own
     * state (/var/lib/kiban), never a system directory or inside a system tree (but for {@code allowed}).
     */
    private void kibanFile(String key, HostPath file, List<String> allowed, String what) {
        if (specFiles().contains(file.value())) {
            error(key, "is the spec file itself; " + what + ", which would overwrite the spec");
        } else if (file.within(new HostPath(STATE))) {
            error(key, "lies in " + STATE + ", kiban's own state; " + what);
        } else if (file.systemTree(allowed).isPresent()) {
            error(key, file.systemTree(allowed).get() + "; " + what);
        } else if (file.systemDirectory().isPresent()) {
            error(key, file.systemDirectory().get() + ", not a file kiban may write");
        }
    }

    /** The spec file's paths: the default one and the one this spec was read from (-c), when it is a file. */
    private List<String> specFiles() {
        List<String> out = new java.util.ArrayList<>(List.of("/etc/kiban/kiban.yaml"));
        String file = locator.file();
        if (file != null && !file.startsWith("builtin")) {
            try {
                out.add(java.nio.file.Path.of(file).toAbsolutePath().normalize().toString());
            } catch (java.nio.file.InvalidPathException e) {
                // not a path kiban could name on this host: nothing to compare
            }
        }
        return out;
    }

    private void directory(String key, HostPath path, String what) {
        path.systemDirectory().ifPresent(why -> error(key, why + "; kiban would " + what));
    }

    private void monitor() {
        var m = spec.monitor();
        var metrics = m.metrics();
        // the port in listen wins (PlatformSpec.Metrics); a second one written beside it would be silently ignored
        if (metrics.listen().port().isPresent() && locator.writes("monitor.metrics.port")) {
            error("monitor.metrics.port", "monitor.metrics.listen already gives the port; give it once");
        }
        for (int i = 0; i < m.rules().size(); i++) {
            form("monitor.rules[" + i + "].name", Form.WORD, m.rules().get(i).name());
        }
        var mail = m.channels().mail();
        form("monitor.channels.mail.smtpHost", Form.HOST, mail.smtpHost());
        form("monitor.channels.mail.from", Form.EMAIL, mail.from());
        forms("monitor.channels.mail.to", Form.EMAIL, mail.to());
        mail.username().ifPresent(u -> {
            // postfix's sasl_passwd reads "user:password" up to the first colon
            if (u.isBlank() || u.chars().anyMatch(c -> Character.isWhitespace(c) || c == ':')) {
                error("monitor.channels.mail.username", "a user name has no spaces and no colon");
            }
        });
        boolean credentials = mail.username().isPresent() || mail.password().isPresent();
        // SMTP AUTH PLAIN/LOGIN is base64, not encryption: without TLS the password crosses the network as written.
        if (credentials && !mail.starttls() && mail.smtpPort() != 465 && !SpecText.isLoopback(mail.smtpHost())) {
            String at = locator.firstWritten("monitor.channels.mail.starttls", "monitor.channels.mail.password",
                    "monitor.channels.mail.username");
            error(at,
                    "the SMTP login would cross the network in cleartext to " + mail.smtpHost() + ":" + mail.smtpPort()
                            + "; set starttls: true, use port 465 (implicit TLS), "
                            + "or send through a relay on this host (localhost)");
        }
        url("monitor.channels.discord.webhook", Optional.of(m.channels().discord().webhook()));
        url("monitor.channels.webhook.url", m.channels().webhook().url());
        var r = m.report();
        form("monitor.report.detail", Form.LOGWATCH_DETAIL, r.detail());
        form("monitor.report.range", Form.LOGWATCH_RANGE, r.range());
        forms("monitor.report.services", Form.WORD, r.services());
    }

    /** A literal URL is checked now; env: and file: ones when the channel starts. Never shown: it is a secret. */
    private void url(String key, Optional<SecretRef> ref) {
        if (ref.isEmpty() || ref.get().kind() != SecretRef.Kind.LITERAL) return;
        SpecText.urlProblem(ref.get().value())
                .ifPresent(why -> error(key, "the URL " + why + " (not shown: it is a secret)"));
    }

    private void security() {
        var sec = spec.security();
        String keys = sec.ssh().authorizedKeysFile();
        if (!keys.equals("none")) form("security.ssh.authorizedKeysFile", Form.SSH_KEYS_FILE, keys);
        forms("security.ssh.allowUsers", Form.USER, sec.ssh().allowUsers());
        form("security.fail2ban.action", Form.FAIL2BAN_ACTION, sec.fail2ban().action());
        form("security.selinux.policy", Form.WORD, sec.selinux().policy());
        form("security.updates.emailFrom", Form.EMAIL, sec.updates().emailFrom());
        form("security.updates.emailHost", Form.HOST, sec.updates().emailHost());
        form("security.firewall.zone", Form.ZONE, sec.firewall().zone());
    }

    /** Placeholders are the binder's warning; anything else must have the form. */
    private void form(String key, Form form, String value) {
        if (Placeholder.is(value) || form.accepts(value)) return;
        error(key, "expected " + form.expected() + ", got " + SpecText.shown(value));
    }

    private void forms(String key, Form form, List<String> values) {
        for (int i = 0; i < values.size(); i++) form(key + "[" + i + "]", form, values.get(i));
    }

    private void error(String path, String message) {
        problems.add(locator.problem(Severity.ERROR, path, message));
    }
}
