package dev.kiban.host;

import dev.kiban.spec.PlatformSpec;
import dev.kiban.spec.PlatformSpec.Family;
import dev.kiban.spec.SpecText;
import dev.kiban.spec.SpecText.Form;
import java.util.List;

/**
 * Automatic security updates (R7.5): dnf-automatic on rhel, unattended-upgrades on debian. Docker's
 * own packages are held back from unattended runs: an engine upgrade restarts dockerd and, without
 * live-restore (D1), every container, so it belongs in a planned window (D16).
 */
public final class SecurityUpdates {
    private SecurityUpdates() {}

    public static List<Artifact> render(PlatformSpec spec) {
        var u = spec.security().updates();
        // each lands unquoted (dnf) or inside "..." (apt): the forms admit neither quotes nor line breaks
        String admin = SpecText.requireFilled("admin.email", Form.EMAIL, spec.admin().email());
        String from = SpecText.require("security.updates.emailFrom", Form.EMAIL, u.emailFrom());
        String host = SpecText.require("security.updates.emailHost", Form.HOST, u.emailHost());
        if (!u.type().equals("security") && !u.type().equals("default")) {
            throw new dev.kiban.spec.SpecException("security.updates.type: refusing to render it");
        }
        if (spec.host().family() == Family.RHEL) {
            String conf = ManagedFile.header("#", "R7.5, D16") + "[commands]\n"
                    + "upgrade_type = " + u.type() + "\n"
                    + "download_updates = " + yesNo(u.download()) + "\n"
                    + "apply_updates = " + yesNo(u.apply()) + "\n"
                    + "random_sleep = 0\n\n"
                    + "[emitters]\nemit_via = email\n\n"
                    + "[email]\nemail_from = " + from + "\nemail_to = " + admin + "\nemail_host = " + host + "\n\n"
                    + "[base]\n# Engine upgrades restart every container: leave them to a planned window (D16).\n"
                    + "excludepkgs = docker-ce docker-ce-cli containerd.io\n";
            return List.of(Artifact.config("/etc/dnf/automatic.conf", conf, "dnf-automatic (R7.5)",
                    Artifact.Reader.UPDATES));
        }
        String origins = u.type().equals("security")
                ? "    \"origin=Debian,codename=${distro_codename}-security,label=Debian-Security\";\n"
                : "    \"origin=Debian,codename=${distro_codename},label=Debian\";\n"
                        + "    \"origin=Debian,codename=${distro_codename}-security,label=Debian-Security\";\n";
        String unattended = ManagedFile.header("//", "R7.5, D16")
                + "Unattended-Upgrade::Origins-Pattern {\n" + origins + "};\n"
                + "// Engine upgrades restart every container: leave them to a planned window (D16).\n"
                + "Unattended-Upgrade::Package-Blacklist {\n    \"docker.io\";\n    \"containerd\";\n"
                + "    \"docker-ce\";\n};\n"
                + "Unattended-Upgrade::Mail \"" + admin + "\";\n"
                + "Unattended-Upgrade::Sender \"" + from + "\";\n"
                + "Unattended-Upgrade::MailReport \"on-change\";\n";
        String periodic = ManagedFile.header("//", "R7.5")
                + "APT::Periodic::Update-Package-Lists \"1\";\n"
                + "APT::Periodic::Download-Upgradeable-Packages \"" + (u.download() ? 1 : 0) + "\";\n"
                + "APT::Periodic::Unattended-Upgrade \"" + (u.apply() ? 1 : 0) + "\";\n";
        return List.of(
                Artifact.config("/etc/apt/apt.conf.d/51kiban-unattended-upgrades", unattended,
                        "unattended-upgrades (R7.5)", Artifact.Reader.UPDATES),
                Artifact.config("/etc/apt/apt.conf.d/20auto-upgrades", periodic, "periodic runs (R7.5)",
                        Artifact.Reader.UPDATES));
    }

    /**
     * What automatic security updates do not cover (D16), said where kiban reports updates: dnf-automatic's
     * {@code upgrade_type = security} installs only what the repository marks as a security erratum (an update
     * without the tag, or from a repository without errata metadata, such as Docker's, is never installed), and
     * unattended-upgrades installs only from Debian's security origin; the engine's packages are held back from
     * both and updated in the spec's window instead.
     */
    public static String caveat(PlatformSpec spec) {
        boolean security = spec.security().updates().type().equals("security");
        String engine = "the engine's packages are held back and updated in maintenance.engineUpdate's window ("
                + spec.maintenance().engineUpdate().schedule() + ", D16)";
        if (!security) return "automatic updates install every update; " + engine;
        return spec.host().family() == Family.RHEL
                ? "automatic updates are security errata only: dnf-automatic (upgrade_type = security) installs only "
                        + "updates the repository tags as security errata, so an untagged fix waits for 'dnf upgrade'; "
                        + engine
                : "automatic updates are security updates only: unattended-upgrades installs from Debian's security "
                        + "origin, so a fix that lands in a point release waits for 'apt upgrade'; " + engine;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
