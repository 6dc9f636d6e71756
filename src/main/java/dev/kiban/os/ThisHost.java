package dev.kiban.os;

import dev.kiban.failure.UsageException;
import dev.kiban.spec.HostAddress;
import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place the spec's "auto" values are decided for the host kiban works on: its OS family and the
 * address Swarm advertises. The host's files are under {@code root} ({@code /}, or a tree given with
 * --root); only on {@code /} is the machine's own address the host's.
 */
public final class ThisHost {
    private static final Path SYSTEM = Path.of("/");
    private static final String LOOPBACK = "127.0.0.1";

    private final Path root;
    /** A second os-release to read when the root has none: the running system's, for verify. */
    private final Optional<Path> familyFallback;
    private final Supplier<Optional<String>> primaryAddress;

    ThisHost(Path root, Optional<Path> familyFallback, Supplier<Optional<String>> primaryAddress) {
        this.root = root;
        this.familyFallback = familyFallback;
        this.primaryAddress = primaryAddress;
    }

    /** The host whose files are under {@code root}. */
    public static ThisHost under(Path root) {
        return new ThisHost(root, Optional.empty(), PrimaryAddress::find);
    }

    /** The running machine itself. */
    public static ThisHost system() {
        return under(SYSTEM);
    }

    /**
     * The same host, its family read from the running system when the root has no os-release: verify
     * checks a tree meant for this machine.
     */
    public ThisHost familyFromSystemWhenRootHasNone() {
        return new ThisHost(root, Optional.of(SYSTEM), primaryAddress);
    }

    /**
     * The OS family: the spec's when it names one, else the option, else the root's /etc/os-release, else
     * the fallback's. Empty when none says. An option that contradicts the spec is refused rather than
     * silently ignored: the operator asked for one family and would get the other.
     */
    public Optional<Family> family(PlatformSpec spec, Optional<Family> option) throws IOException {
        Family written = spec.host().family();
        if (written != Family.AUTO && option.isPresent() && option.get() != Family.AUTO && option.get() != written) {
            throw new UsageException("--family " + name(option.get()) + " contradicts host.family: " + name(written)
                    + " in the spec; drop the option or change the spec");
        }
        if (written != Family.AUTO) return Optional.of(written);
        if (option.isPresent() && option.get() != Family.AUTO) return option;
        Optional<Family> own = OsRelease.read(root).flatMap(OsRelease::family);
        if (own.isPresent() || familyFallback.isEmpty()) return own;
        try {
            return OsRelease.read(familyFallback.get()).flatMap(OsRelease::family);
        } catch (IOException e) {
            return Optional.empty(); // the fallback is a convenience; the root's answer was already none
        }
    }

    /**
     * The address Swarm advertises: the spec's when it gives one; on {@code /} the machine's primary
     * IPv4 address; under another root the loopback address (a tree has no network). Empty only on
     * {@code /} without a primary address.
     */
    public Optional<String> address(PlatformSpec spec) {
        HostAddress given = spec.swarm().advertiseAddress();
        if (!given.isAuto()) return Optional.of(given.address());
        return HostRoot.isSystemRoot(root) ? primaryAddress.get() : Optional.of(LOOPBACK);
    }

    /**
     * For configuring the host (plan, apply, engine install, verify): the family must be known, and the
     * address falls back to loopback (the rendered files do not depend on it).
     */
    public PlatformSpec resolveForHost(PlatformSpec spec, Optional<Family> option) throws IOException {
        Family family = family(spec, option).orElseThrow(() -> new SpecException("cannot tell the OS family from "
                + root.resolve("etc/os-release") + "; give --family rhel|debian or set host.family"));
        return spec.resolved(family, address(spec).orElse(LOOPBACK));
    }

    /** For the swarm commands: the address must be known; the family only as far as the host says. */
    public PlatformSpec resolveForSwarm(PlatformSpec spec) throws IOException {
        String address = address(spec).orElseThrow(() -> new SpecException(
                "swarm.advertiseAddress is auto but this host has no primary IPv4 address; set it in the spec"));
        return spec.resolved(family(spec, Optional.empty()).orElse(Family.AUTO), address);
    }

    /** The running machine's host name, the name Swarm knows it by; empty when it cannot be read. */
    public static Optional<String> hostname() {
        try {
            String name = java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            return name.isEmpty() ? Optional.empty() : Optional.of(name);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** For showing the spec: what can be decided is; the rest stays auto. */
    public PlatformSpec resolveAsFarAsKnown(PlatformSpec spec) throws IOException {
        return spec.resolved(family(spec, Optional.empty()).orElse(Family.AUTO),
                address(spec).orElse(HostAddress.AUTO.address()));
    }

    private static String name(Family f) {
        return f.name().toLowerCase(java.util.Locale.ROOT);
    }
}
