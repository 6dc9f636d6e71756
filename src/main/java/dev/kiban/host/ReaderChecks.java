package dev.kiban.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiban.os.Failures;
import dev.kiban.os.HostPrograms;
import dev.kiban.os.HostRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * apply's own checks: each file is given to the program that will read it, where that program is
 * installed on this machine (sshd -t, fail2ban-client -t, nft -c, apt-config, dockerd --validate, perl -c, sh -n);
 * where it is not, kiban checks the syntax itself (JSON, XML, key = value,
 * SELinux's config, dnf repositories).
 */
public final class ReaderChecks implements ArtifactCheck {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Path PRIVSEP = Path.of("/run/sshd");

    private final HostPrograms programs;
    /** The runtime directory sshd -t insists on (the ssh service creates it at start). */
    private final Path privsep;

    public ReaderChecks(HostPrograms programs) {
        this(programs, PRIVSEP);
    }

    /** For tests: sshd's runtime directory elsewhere. */
    ReaderChecks(HostPrograms programs, Path privsep) {
        this.programs = programs;
        this.privsep = privsep;
    }

    @Override
    public Optional<String> check(Artifact a, Path root) throws IOException {
        Path file = HostRoot.resolve(root, a.path());
        return switch (a.reader()) {
            case DOCKERD -> dockerd(file);
            case SYSCTL -> keyValues(a);
            case SSHD -> sshd(file, root);
            case FAIL2BAN -> a.path().equals(Fail2banJails.JAIL) ? fail2ban(root) : Optional.empty();
            case LOGWATCH -> a.path().equals(LogwatchReport.SCRIPT) ? tool("perl", "-c", file.toString())
                    : Optional.empty();
            case NFTABLES -> tool("nft", "-c", "-f", file.toString());
            case FIREWALLD -> xml(file);
            case UPDATES -> a.path().startsWith("/etc/apt/") ? tool("apt-config", "-c", file.toString(), "dump")
                    : Optional.empty();
            case SYSTEMD -> a.content().startsWith("#!/bin/sh") ? tool("sh", "-n", file.toString()) : unit(a);
            case SELINUX -> a.path().equals(SelinuxConfig.CONFIG) ? selinuxConfig(a) : Optional.empty();
            case DNF -> repository(a);
            case POSTFIX -> postfix(a);
            case AUDITD -> auditRules(a);
            default -> Optional.empty();
        };
    }

    private Optional<String> tool(String program, String... args) throws IOException {
        Optional<Path> p = programs.find(program);
        if (p.isEmpty()) return Optional.empty();
        List<String> argv = new ArrayList<>(List.of(p.get().toString()));
        argv.addAll(List.of(args));
        HostPrograms.Result r = programs.run(argv, LIMIT);
        return r.ok() ? Optional.empty() : Optional.of(program + ": " + r.gist());
    }

    private Optional<String> dockerd(Path file) throws IOException {
        try {
            new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            return Optional.of("not valid JSON: " + Failures.describe(e));
        }
        Optional<Path> dockerd = programs.find("dockerd");
        if (dockerd.isEmpty()) return Optional.empty();
        HostPrograms.Result r = programs.run(List.of(dockerd.get().toString(), "--validate", "--config-file",
                file.toString()), LIMIT);
        // engines before 23.0 cannot validate
        if (r.ok() || r.output().contains("unknown flag: --validate")) return Optional.empty();
        return Optional.of("dockerd --validate: " + r.gist());
    }

    private static Optional<String> keyValues(Artifact a) {
        for (String line : a.content().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            if (!line.matches("[a-z0-9_.\\-/]+\\s*=\\s*\\S.*")) return Optional.of("not a key = value line: " + line);
        }
        return Optional.empty();
    }

    /**
     * postfix's files, checked by kiban (postfix's own tools read them only after apply): the keys as
     * {@code key = value} (an empty value clears one), the aliases as {@code name: address}, the login as
     * one {@code [host]:port user:password} line, which a refusal never shows.
     */
    static Optional<String> postfix(Artifact a) {
        List<String> lines = a.content().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        if (a.holdsSecret()) {
            boolean one = lines.size() == 1 && lines.get(0).matches("\\[[A-Za-z0-9.:-]+]:\\d{1,5} [^\\s:]+:.+");
            return one ? Optional.empty() : Optional.of("not one '[host]:port user:password' line (not shown: it "
                    + "holds a secret)");
        }
        String form = a.path().equals(OutgoingMail.ALIASES) ? "[a-z0-9_.-]+: \\S+" : "[a-z0-9_]+ =( \\S.*)?";
        return lines.stream().filter(l -> !l.matches(form)).findFirst().map(l -> "not a postfix line: " + l);
    }

    /**
     * kiban's auditd rules: watches only ({@code -w PATH -k KEY}). augenrules stops at the first rule auditctl
     * refuses, losing every rule after it (and {@code -e 2}), so nothing else is let through.
     */
    static Optional<String> auditRules(Artifact a) {
        return a.content().lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .filter(l -> !l.matches("-w /[A-Za-z0-9_./+-]+ -k [a-z0-9_-]+")).findFirst()
                .map(l -> "not a '-w PATH -k KEY' line: " + l);
    }

    /** libselinux reads KEY=value with no spaces around '='; a wrong line would leave SELinux as it was. */
    static Optional<String> selinuxConfig(Artifact a) {
        for (String line : a.content().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            if (!line.matches("SELINUX(TYPE)?=[A-Za-z0-9_\\-]+")) return Optional.of("not a SELINUX= line: " + line);
        }
        return Optional.empty();
    }

    /** dnf's repository files: sections, then key=value; a repository without gpgcheck=1 is refused. */
    static Optional<String> repository(Artifact a) {
        for (String line : a.content().split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.matches("\\[[A-Za-z0-9_.:\\-]+]")) continue;
            if (!line.matches("[a-z_]+=\\S.*")) return Optional.of("not a key=value line: " + line);
        }
        return a.content().contains("\ngpgcheck=1\n") ? Optional.empty()
                : Optional.of("the repository does not check package signatures (gpgcheck=1)");
    }

    private Optional<String> sshd(Path file, Path root) throws IOException {
        Optional<Path> sshd = programs.find("sshd");
        Optional<Path> keygen = programs.find("ssh-keygen");
        if (sshd.isEmpty() || keygen.isEmpty() || !privsepReady(root, privsep)) return Optional.empty();
        Path dir = Files.createTempDirectory("kiban-sshd");
        try {
            Path key = dir.resolve("host_key");
            programs.run(List.of(keygen.get().toString(), "-q", "-t", "ed25519", "-N", "", "-f", key.toString()),
                    LIMIT);
            HostPrograms.Result r = programs.run(List.of(sshd.get().toString(), "-t", "-f", file.toString(), "-h",
                    key.toString()), LIMIT);
            return r.ok() ? Optional.empty() : Optional.of("sshd -t: " + r.gist());
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Whether sshd -t can run: it insists on its runtime directory {@code privsep}. On {@code /} kiban makes
     * it as the ssh service would at start; under {@code --root} nothing outside the root is created, so
     * without it sshd -t is not run (the drop-in is checked when applied on the host itself).
     */
    static boolean privsepReady(Path root, Path privsep) throws IOException {
        if (Files.isDirectory(privsep)) return true;
        if (!HostRoot.isSystemRoot(root)) return false;
        if (Files.isWritable(privsep.getParent())) Files.createDirectories(privsep);
        return true;
    }

    /** fail2ban-client -t on the package's configuration with kiban's files laid over it. */
    private Optional<String> fail2ban(Path root) throws IOException {
        Optional<Path> client = programs.find("fail2ban-client");
        Path stock = Path.of("/etc/fail2ban");
        if (client.isEmpty() || !Files.isRegularFile(stock.resolve("fail2ban.conf"))) return Optional.empty();
        Path dir = Files.createTempDirectory("kiban-fail2ban");
        try {
            copyTree(stock, dir);
            Files.copy(HostRoot.resolve(root, Fail2banJails.JAIL), dir.resolve("jail.local"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path filter = HostRoot.resolve(root, Fail2banJails.FILTER);
            if (Files.exists(filter)) {
                Files.copy(filter, dir.resolve("filter.d/docker-api.conf"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            HostPrograms.Result r = programs.run(List.of(client.get().toString(), "-c", dir.toString(), "-t"), LIMIT);
            return r.ok() ? Optional.empty() : Optional.of("fail2ban-client -t: " + r.gist());
        } finally {
            deleteTree(dir);
        }
    }

    private static Optional<String> xml(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.newDocumentBuilder().parse(file.toFile());
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of("not well-formed XML: " + Failures.describe(e));
        }
    }

    private Optional<String> unit(Artifact a) throws IOException {
        String kind = a.path().endsWith(".timer") ? "[Timer]" : "[Service]";
        if (!a.content().contains("[Unit]") || !a.content().contains(kind)) {
            return Optional.of("a unit needs [Unit] and " + kind + " sections");
        }
        // systemd-analyze verify needs a running systemd; calendar parsing does not, and a bad OnCalendar would leave
        // the timer dead
        for (String line : a.content().lines().filter(l -> l.startsWith("OnCalendar=")).toList()) {
            Optional<String> bad = tool("systemd-analyze", "calendar", line.substring("OnCalendar=".length()));
            if (bad.isPresent()) return bad;
        }
        return Optional.empty();
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
